/**
 * Files that ship beside the code (templates/, policies/). This module sits one level below
 * the package root in every layout (src/, lib/, dist/), so the root is "../".
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const packageRoot = fileURLToPath(new URL("../", import.meta.url));

export function readAsset(relativePath: string): string {
  return readFileSync(new URL(`../${relativePath}`, import.meta.url), "utf8");
}

export function readJsonAsset<T = unknown>(relativePath: string): T {
  return JSON.parse(readAsset(relativePath)) as T;
}
