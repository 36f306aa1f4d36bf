/**
 * The one escaping for Markdown read by GitHub (the job summary, pull-request comments): every
 * value from a repository goes through `markdownText`, so it renders as its own text wherever
 * it lands — a table cell, a list item, an HTML element — and adds no link, image, heading,
 * HTML, table cell, mention or math.
 */

/**
 * What CommonMark, GitHub's extensions or HTML act on inside a line: HTML and entities (`&<>`,
 * quotes for attribute values), code, emphasis, links and images (`` ` * _ [ ] \ ``), tables
 * (`|`), strikethrough (`~`), issue references (`#`), math (`$`), mentions and e-mail autolinks
 * (`@`), and the start of a URL or www. autolink (`://`, `www.`).
 */
const SPECIAL = /[&<>"'`*_[\]|~\\#$@]|:(?=\/\/)|(?<=www)\./gi;

/** Text safe in Markdown and HTML: specials as numeric entities, every line break as `<br>`. */
export function markdownText(text: string): string {
  return text.replace(SPECIAL, (ch) => `&#${ch.charCodeAt(0)};`).replace(/\r\n|\r|\n/g, "<br>");
}

/**
 * A URL netcompile built (its path segments percent-encoded) as an HTML attribute value: only
 * what ends or breaks a quoted attribute is an entity, so the link stays readable in the raw
 * summary and Markdown never sees it as text.
 */
export function htmlAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
