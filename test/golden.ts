/** Golden files: compared byte for byte, rewritten only with `UPDATE_GOLDENS=1 npm test`. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { expect } from "vitest";
import { updateGoldens } from "./support.js";

export function golden(path: string, actual: string): void {
  if (updateGoldens) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(existsSync(path), `${path} is missing; run UPDATE_GOLDENS=1 npm test`).toBe(true);
  expect(actual).toBe(readFileSync(path, "utf8"));
}
