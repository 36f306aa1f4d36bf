/**
 * `netcompile schema KIND`: a kind's JSON Schema on stdout, self-contained (no reference outside
 * it), for an editor or a validator that works offline: the very file policies/schemas ships.
 */
import { readAsset } from "../../assets.js";
import { KINDS } from "../../load/kinds.js";
import { SCHEMA_PATHS } from "../../schema/schemas/index.js";
import { EXIT } from "../../usecases/index.js";
import type { Io } from "../io.js";
import { terminalText } from "../../util/terminal.js";
import { didYouMean } from "../../util/text.js";

export function schemaCommand(kind: string, io: Io): number {
  const names = KINDS.map((k) => k.kind);
  const found = names.find((name) => name.toLowerCase() === kind.toLowerCase());
  if (!found) {
    io.stderr.write(
      `netcompile schema: unknown kind ${terminalText(JSON.stringify(kind))}; the kinds are ${names.join(", ")}${didYouMean(kind, names)}\n`,
    );
    return EXIT.usage;
  }
  io.stdout.write(readAsset(SCHEMA_PATHS[found]));
  return EXIT.ok;
}
