/**
 * The built-in templates precompiled, by name (`templates/<name>.hbs`): none when running from
 * source. The bundles (scripts/bundle-cli.ts, src/action/package-dist.ts) replace this module
 * with the one precompile.ts generates from templates/ when they are built.
 */
import type Handlebars from "handlebars";

export interface PrecompiledTemplate {
  /** The SHA-256 of the source it was compiled from (engine.ts templateHash). */
  readonly sha256: string;
  /** Handlebars' template code, for `Handlebars.template`. */
  readonly spec: Parameters<typeof Handlebars.template>[0];
}

export const PRECOMPILED: Readonly<Record<string, PrecompiledTemplate | undefined>> = {};
