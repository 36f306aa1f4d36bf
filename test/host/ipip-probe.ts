/**
 * Can this kernel create IP-in-IP devices? Probed once per process in a throwaway namespace of
 * our own (created and deleted by name; nothing touches the caller's namespace).
 */
import { spawnSync } from "node:child_process";
import type { Availability } from "./harness.js";

let cached: Availability | undefined;

export function ipipKernelSupport(): Availability {
  if (cached) return cached;
  if (process.getuid?.() !== 0) return (cached = { ok: false, reason: "needs root to probe" });
  const ns = `nc4ipip${process.pid}`;
  const ip = (args: string[]) => spawnSync("ip", args, { encoding: "utf8", timeout: 5000 });
  const add = ip(["netns", "add", ns]);
  if (add.status !== 0) {
    return (cached = { ok: false, reason: `cannot create a namespace: ${add.stderr.trim()}` });
  }
  try {
    const r = ip([
      "-n",
      ns,
      "link",
      "add",
      "ncprobe",
      "type",
      "ipip",
      "remote",
      "any",
      "local",
      "any",
    ]);
    cached =
      r.status === 0
        ? { ok: true }
        : {
            ok: false,
            reason: `kernel cannot create ipip devices: ${r.stderr.trim() || `exit ${r.status}`}`,
          };
  } finally {
    ip(["netns", "delete", ns]);
  }
  return cached;
}
