/**
 * Handlebars, set up once: strict (a missing value throws instead of rendering empty),
 * no HTML escaping (values are quoted for their format by helpers instead), every template
 * compiled the first time it is used and cached for the process.
 */
import Handlebars from "handlebars";
import { readAsset } from "../assets.js";
import { iniValue, yamlScalar } from "../util/quote.js";

const hb = Handlebars.create();
hb.registerHelper("q", (value: unknown) => yamlScalar(value));
hb.registerHelper("ini", (value: unknown) => iniValue(value));
hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
hb.registerHelper("ne", (a: unknown, b: unknown) => a !== b);
hb.registerHelper("or", (...args: unknown[]) => args.slice(0, -1).some(Boolean));
hb.registerHelper("and", (...args: unknown[]) => args.slice(0, -1).every(Boolean));
hb.registerHelper("not", (value: unknown) => !value);

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Renders `templates/<name>.hbs` with `context`. */
export function renderTemplate(name: string, context: object): string {
  let template = cache.get(name);
  if (!template) {
    template = hb.compile(readAsset(`templates/${name}.hbs`), {
      strict: true,
      noEscape: true,
      knownHelpersOnly: true,
      knownHelpers: { q: true, ini: true, eq: true, ne: true, or: true, and: true, not: true },
    });
    cache.set(name, template);
  }
  // Values reach templates as data only: no prototype lookups.
  return template(context, {
    allowProtoPropertiesByDefault: false,
    allowProtoMethodsByDefault: false,
  });
}
