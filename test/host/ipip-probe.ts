/**
 * Can this kernel create IP-in-IP (or WireGuard) devices? Probed once per process in a throwaway
 * namespace of our own (created and deleted by name; nothing touches the caller's namespace).
 */
import { spawnSync } from "node:child_process";
import type { Availability } from "./harness.js";

const cached = new Map<string, Availability>();

function linkTypeSupport(type: string, args: readonly string[]): Availability {
  const known = cached.get(type);
  if (known) return known;
  const result = probe(type, args);
  cached.set(type, result);
  return result;
}

function probe(type: string, args: readonly string[]): Availability {
  if (process.getuid?.() !== 0) return { ok: false, reason: "needs root to probe" };
  const ns = `nc4${type.slice(0, 4)}${process.pid}`;
  const ip = (a: string[]) => spawnSync("ip", a, { encoding: "utf8", timeout: 5000 });
  const add = ip(["netns", "add", ns]);
  if (add.status !== 0) {
    return { ok: false, reason: `cannot create a namespace: ${add.stderr.trim()}` };
  }
  try {
    const r = ip(["-n", ns, "link", "add", "ncprobe", "type", type, ...args]);
    return r.status === 0
      ? { ok: true }
      : {
          ok: false,
          reason: `kernel cannot create ${type} devices: ${r.stderr.trim() || `exit ${r.status}`}`,
        };
  } finally {
    ip(["netns", "delete", ns]);
  }
}

export function ipipKernelSupport(): Availability {
  return linkTypeSupport("ipip", ["remote", "any", "local", "any"]);
}

export function wireguardKernelSupport(): Availability {
  return linkTypeSupport("wireguard", []);
}
