/**
 * Host test harness: proves rendered netplan / systemd-networkd files with the REAL tools.
 *
 * This is a library for tests (not a test itself). The facts it relies on, measured on Debian
 * with netplan.io and systemd 252:
 *  - netplan: the C generator (`/usr/libexec/netplan/generate --root-dir R`) is run against a
 *    temporary root.
 *  - systemd-networkd: the real daemon runs inside a network namespace created here, in the
 *    private mount namespace `ip netns exec` gives it, with tmpfs on /run and /etc/systemd, the
 *    files bind-mounted on /etc/systemd/network and /etc/systemd/networkd.conf.d, the vendor
 *    directories (/usr/lib/systemd/network, ...) masked, and /sys remounted read-only (otherwise
 *    networkd waits forever for udev). A private `dbus-daemon --system` makes `networkctl` work.
 *
 * Safety rules the harness enforces:
 *  - Every namespace it creates has a unique name `nct<pid>-<seq>-...` and is deleted BY NAME.
 *  - Every process it starts is killed BY PID (for daemons that fork, like dbus-daemon, the PID is
 *    verified to still live in a namespace we created before it is signalled); nothing is ever
 *    killed by pattern, and processes it did not start are never signalled (only reported).
 *  - No interface is ever created in the caller's (root) network namespace; every address used
 *    lives only inside namespaces the harness created.
 *  - Every wait is bounded by a timeout; cleanup also runs on failure and (synchronously, best
 *    effort) when the Node process exits.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  existsSync,
  readFileSync,
  rmSync,
  statSync,
  accessSync,
  constants as fsConstants,
} from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  cidrContainsAddress,
  parseAddress,
  parseCidr,
  type Cidr,
  type IpAddress,
} from "../../src/model/cidr.js";

// ---------------------------------------------------------------------------------------------
// Constants and tool discovery
// ---------------------------------------------------------------------------------------------

export const NETWORKD_BINARY = "/lib/systemd/systemd-networkd";

/** Where the fast C netplan generator may live (Debian 12 ships both; the /lib one is a symlink). */
export const NETPLAN_GENERATOR_CANDIDATES: readonly string[] = [
  "/usr/libexec/netplan/generate",
  "/lib/netplan/generate",
  "/usr/lib/netplan/generate",
];

/** Name of the router pseudo-node accepted by `lab.exec`, `lab.ping`, `lab.capture`. */
export const ROUTER = "@router";

const DEFAULT_CMD_TIMEOUT_MS = 10_000;

function isExecutable(p: string): boolean {
  try {
    accessSync(p, fsConstants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Resolve a program on PATH (plus the sbin directories, which a non-login PATH may lack). */
export function findExecutable(name: string): string | undefined {
  const dirs = [
    ...(process.env.PATH ?? "").split(":").filter(Boolean),
    "/usr/local/sbin",
    "/usr/sbin",
    "/sbin",
    "/usr/bin",
    "/bin",
  ];
  for (const dir of dirs) {
    const p = path.join(dir, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

/** Path of the netplan C generator on this machine, if installed. */
export function findNetplanGenerator(): string | undefined {
  return NETPLAN_GENERATOR_CANDIDATES.find(isExecutable);
}

// ---------------------------------------------------------------------------------------------
// Process helpers
// ---------------------------------------------------------------------------------------------

export interface ExecResult {
  command: readonly string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly result: ExecResult,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

export interface RunOptions {
  timeoutMs?: number;
  /** Resolve with the result instead of throwing on a non-zero exit / timeout. */
  allowFailure?: boolean;
  env?: NodeJS.ProcessEnv;
  input?: string;
}

function describeResult(r: ExecResult): string {
  const how = r.timedOut
    ? `timed out after ${r.durationMs} ms`
    : r.signal
      ? `killed by ${r.signal}`
      : `exit ${r.code}`;
  const tail = (s: string) => s.trim().split("\n").slice(-15).join("\n");
  return `\`${r.command.join(" ")}\` ${how}${r.stderr.trim() ? `\nstderr:\n${tail(r.stderr)}` : ""}${
    r.stdout.trim() ? `\nstdout:\n${tail(r.stdout)}` : ""
  }`;
}

/** Run a short-lived command with a hard timeout (the child is SIGKILLed by PID on timeout). */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<ExecResult> {
  const [cmd, ...args] = argv;
  if (!cmd) return Promise.reject(new Error("run: empty command"));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CMD_TIMEOUT_MS;
  const started = Date.now();
  return new Promise<ExecResult>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, {
        stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        env: opts.env ?? process.env,
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`failed to start \`${argv.join(" ")}\`: ${err.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const result: ExecResult = {
        command: argv,
        code,
        signal,
        stdout,
        stderr,
        timedOut,
        durationMs: Date.now() - started,
      };
      if (!opts.allowFailure && (code !== 0 || timedOut)) {
        reject(new CommandError(describeResult(result), result));
      } else {
        resolve(result);
      }
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A long-running child we started; output is accumulated in memory. */
class ManagedProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private listeners: Array<() => void> = [];

  constructor(
    readonly child: ChildProcess,
    readonly description: string,
  ) {
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      this.stdout += d;
      this.notify();
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      this.stderr += d;
      this.notify();
    });
    this.exited = new Promise((resolve) => {
      child.on("error", (err) => {
        this.stderr += `\n[harness] spawn error: ${err.message}\n`;
        this.exitInfo ??= { code: null, signal: null };
        this.notify();
        resolve(this.exitInfo);
      });
      child.on("close", (code, signal) => {
        this.exitInfo = { code, signal };
        this.notify();
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return (
      this.exitInfo === undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  get exitDescription(): string {
    const e = this.exitInfo;
    if (!e) return "running";
    return e.signal ? `killed by ${e.signal}` : `exited with ${e.code}`;
  }

  private notify(): void {
    const ls = this.listeners;
    this.listeners = [];
    for (const l of ls) l();
  }

  /** Resolve when `pred()` holds (checked on every output/exit event); reject on timeout. */
  async waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what} from ${this.description}\nstderr:\n${this.stderr.slice(-3000)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.listeners.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Signal by PID (only while it is still our un-reaped child), then SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 2000): Promise<void> {
    if (this.running && this.pid !== undefined) {
      try {
        process.kill(this.pid, signal);
      } catch {
        /* gone */
      }
      const timedOut = await Promise.race([
        this.exited.then(() => false),
        sleep(graceMs).then(() => true),
      ]);
      if (timedOut && this.running) {
        try {
          process.kill(this.pid, "SIGKILL");
        } catch {
          /* gone */
        }
        await Promise.race([this.exited, sleep(2000)]);
      }
    }
  }
}

function spawnManaged(argv: readonly string[], description: string, env?: NodeJS.ProcessEnv) {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error("spawnManaged: empty command");
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: env ?? process.env });
  return new ManagedProcess(child, description);
}

// ---------------------------------------------------------------------------------------------
// Resource tracking (namespaces, processes, temp dirs) with exit-time cleanup
// ---------------------------------------------------------------------------------------------

interface Resources {
  namespaces: Set<string>;
  /** PIDs of our direct children (killed only while still un-reaped). */
  children: Set<ManagedProcess>;
  /** PIDs of daemons that forked away (dbus-daemon); killed only if inside one of our netns. */
  foreignPids: Set<number>;
  dirs: Set<string>;
}

const liveResources = new Set<Resources>();
let exitHookInstalled = false;

function newResources(): Resources {
  const r: Resources = {
    namespaces: new Set(),
    children: new Set(),
    foreignPids: new Set(),
    dirs: new Set(),
  };
  liveResources.add(r);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last-resort synchronous cleanup if a test process exits without calling destroy().
    process.once("exit", () => {
      for (const res of liveResources) cleanupSync(res);
    });
  }
  return r;
}

function netnsInode(ns: string): number | undefined {
  try {
    return statSync(`/run/netns/${ns}`).ino;
  } catch {
    return undefined;
  }
}

/** Inode of the network namespace of a PID (undefined if the PID is gone). */
function pidNetnsInode(pid: number): number | undefined {
  try {
    return statSync(`/proc/${pid}/ns/net`).ino;
  } catch {
    return undefined;
  }
}

/** PIDs currently inside a namespace (`ip netns pids NAME`). */
function pidsInNamespaceSync(ns: string): number[] {
  const r = spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8", timeout: 5000 });
  if (r.status !== 0) return [];
  return r.stdout
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 1 && n !== process.pid);
}

function killForeignPidIfOurs(pid: number, namespaces: Iterable<string>): void {
  const inode = pidNetnsInode(pid);
  if (inode === undefined) return;
  for (const ns of namespaces) {
    if (netnsInode(ns) === inode) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
      return;
    }
  }
}

function describePid(pid: number): string {
  try {
    return `${pid} (${readFileSync(`/proc/${pid}/comm`, "utf8").trim()})`;
  } catch {
    return String(pid);
  }
}

function cleanupSync(res: Resources): void {
  for (const p of res.children) {
    if (p.running && p.pid !== undefined) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  }
  for (const pid of res.foreignPids) killForeignPidIfOurs(pid, res.namespaces);
  for (const ns of res.namespaces) spawnSync("ip", ["netns", "delete", ns], { timeout: 5000 });
  for (const d of res.dirs) rmSync(d, { recursive: true, force: true });
  liveResources.delete(res);
}

/**
 * Async, thorough cleanup: stop our children and forked daemons (by PID), wait for our namespaces
 * to be empty, delete them by name, remove temp dirs. Returns problems instead of throwing.
 * Processes we did not start are never signalled: if something else still sits in one of our
 * namespaces (e.g. someone's debugging shell), it is reported.
 */
async function cleanupAsync(res: Resources): Promise<string[]> {
  const problems: string[] = [];
  await Promise.all([...res.children].map((p) => p.stop("SIGTERM", 1500)));
  for (const pid of res.foreignPids) killForeignPidIfOurs(pid, res.namespaces);
  for (const ns of res.namespaces) {
    const deadline = Date.now() + 3000;
    let pids = pidsInNamespaceSync(ns);
    while (pids.length > 0 && Date.now() < deadline) {
      await sleep(50);
      pids = pidsInNamespaceSync(ns);
    }
    if (pids.length > 0) {
      problems.push(
        `processes not started by the harness remain in netns ${ns}: ${pids.map(describePid).join(", ")}`,
      );
    }
    const r = await run(["ip", "netns", "delete", ns], { allowFailure: true, timeoutMs: 5000 });
    if (r.code !== 0 && existsSync(`/run/netns/${ns}`)) {
      problems.push(`ip netns delete ${ns}: ${r.stderr.trim()}`);
    }
  }
  for (const d of res.dirs) {
    await rm(d, { recursive: true, force: true }).catch((e: unknown) =>
      problems.push(`rm ${d}: ${String(e)}`),
    );
  }
  liveResources.delete(res);
  return problems;
}

let nameSeq = 0;
/** Unique namespace-name prefix for this process: nct<pid>-<seq>. */
function uniquePrefix(): string {
  nameSeq += 1;
  return `nct${process.pid}-${nameSeq}`;
}

async function makeTempDir(res: Resources, label: string): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), `netcompile-${label}-`));
  res.dirs.add(d);
  return d;
}

/**
 * `ip -n NS <words>`: `cmd` is split on whitespace, so it must only interpolate validated tokens
 * (interface names, namespace names, addresses), never free text.
 */
function ipn(ns: string, cmd: string): Promise<ExecResult> {
  return run(["ip", "-n", ns, ...cmd.trim().split(/\s+/)]);
}

async function addNamespace(res: Resources, name: string): Promise<void> {
  // Fails if the name exists: a namespace we did not create is never registered (or deleted).
  await run(["ip", "netns", "add", name]);
  res.namespaces.add(name);
  await ipn(name, `link set lo up`);
}

async function writeSysctl(ns: string, key: string, value: string): Promise<void> {
  const file = `/proc/sys/${key.replace(/\./g, "/")}`;
  await run([
    "ip",
    "netns",
    "exec",
    ns,
    "sh",
    "-c",
    'printf "%s\\n" "$1" > "$2"',
    "sh",
    value,
    file,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Availability
// ---------------------------------------------------------------------------------------------

export type HostCapability =
  | "root"
  | "netns"
  | "networkd"
  | "netplan"
  | "veth"
  | "bridge"
  | "vxlan"
  | "tcpdump"
  | "ping"
  | "dbus"
  | "nsenter";

export const ALL_CAPABILITIES: readonly HostCapability[] = [
  "root",
  "netns",
  "networkd",
  "netplan",
  "veth",
  "bridge",
  "vxlan",
  "tcpdump",
  "ping",
  "dbus",
  "nsenter",
];

/** What `networkdParseCheck` needs. */
export const PARSE_CHECK_CAPABILITIES: readonly HostCapability[] = [
  "root",
  "netns",
  "networkd",
  "veth",
];
/** What `createLab` + VXLAN end-to-end tests need. */
export const LAB_CAPABILITIES: readonly HostCapability[] = [
  "root",
  "netns",
  "networkd",
  "veth",
  "bridge",
  "vxlan",
  "tcpdump",
  "ping",
  "dbus",
  "nsenter",
];

export type Availability = { ok: true } | { ok: false; reason: string };

const capabilityCache = new Map<HostCapability, string | null>();

function probeKernelSync(): {
  netns: string | null;
  veth: string | null;
  bridge: string | null;
  vxlan: string | null;
} {
  const ns = `nct${process.pid}-probe${++nameSeq}`;
  const out = {
    netns: null as string | null,
    veth: null as string | null,
    bridge: null as string | null,
    vxlan: null as string | null,
  };
  const ip = (args: string[]) => spawnSync("ip", args, { encoding: "utf8", timeout: 5000 });
  const add = ip(["netns", "add", ns]);
  if (add.error || add.status !== 0) {
    const why = add.error ? add.error.message : add.stderr.trim();
    out.netns = `\`ip netns add\` failed: ${why}`;
    out.veth = out.bridge = out.vxlan = "needs network namespaces";
    return out;
  }
  try {
    const tryLink = (args: string[]) => {
      const r = ip(["-n", ns, "link", "add", ...args]);
      return r.status === 0 ? null : r.stderr.trim() || `exit ${r.status}`;
    };
    const veth = tryLink(["ncp0", "type", "veth", "peer", "name", "ncp1"]);
    if (veth) out.veth = `kernel cannot create veth devices: ${veth}`;
    const br = tryLink(["ncpbr", "type", "bridge"]);
    if (br) out.bridge = `kernel cannot create bridge devices: ${br}`;
    const vx = tryLink(["ncpvx", "type", "vxlan", "id", "4096", "dstport", "4789"]);
    if (vx) out.vxlan = `kernel cannot create vxlan devices (module missing?): ${vx}`;
  } finally {
    ip(["netns", "delete", ns]);
  }
  return out;
}

function probeCapability(cap: HostCapability): string | null {
  switch (cap) {
    case "root":
      if (process.platform !== "linux") return `not Linux (${process.platform})`;
      return process.getuid?.() === 0 ? null : "not running as root";
    case "networkd":
      return isExecutable(NETWORKD_BINARY) ? null : `${NETWORKD_BINARY} not installed`;
    case "netplan":
      return findNetplanGenerator()
        ? null
        : `netplan generator not found (tried ${NETPLAN_GENERATOR_CANDIDATES.join(", ")}); apt-get install netplan.io`;
    case "tcpdump":
      return findExecutable("tcpdump") ? null : "tcpdump not installed (apt-get install tcpdump)";
    case "ping":
      return findExecutable("ping") ? null : "ping not installed (apt-get install iputils-ping)";
    case "dbus":
      return findExecutable("dbus-daemon")
        ? null
        : "dbus-daemon not installed (apt-get install dbus)";
    case "nsenter":
      return findExecutable("nsenter") ? null : "nsenter not installed (util-linux)";
    case "netns":
    case "veth":
    case "bridge":
    case "vxlan": {
      if (process.getuid?.() !== 0) return "needs root";
      if (!findExecutable("ip")) return "ip (iproute2) not installed";
      const k = probeKernelSync();
      capabilityCache.set("netns", k.netns);
      capabilityCache.set("veth", k.veth);
      capabilityCache.set("bridge", k.bridge);
      capabilityCache.set("vxlan", k.vxlan);
      return k[cap];
    }
  }
}

/**
 * Synchronous (usable at test-collection time, e.g. in `it.skipIf`) check that the host can run
 * the requested kind of host test. Results are cached per process.
 */
export function hostTestingAvailable(
  needs: readonly HostCapability[] = ALL_CAPABILITIES,
): Availability {
  if (process.env.NETCOMPILE_HOST_TESTS === "0") {
    return { ok: false, reason: "disabled by NETCOMPILE_HOST_TESTS=0" };
  }
  const reasons: string[] = [];
  for (const cap of needs) {
    let r = capabilityCache.get(cap);
    if (r === undefined) {
      r = probeCapability(cap);
      capabilityCache.set(cap, r);
    }
    if (r !== null) reasons.push(`${cap}: ${r}`);
  }
  return reasons.length === 0
    ? { ok: true }
    : { ok: false, reason: [...new Set(reasons)].join("; ") };
}

// ---------------------------------------------------------------------------------------------
// netplan
// ---------------------------------------------------------------------------------------------

export interface NetplanError {
  /** YAML file name as given in `files`. */
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface NetplanResult {
  ok: boolean;
  exitCode: number | null;
  stderr: string;
  /** Errors parsed from `FILE:LINE:COL: Error in network definition: MSG` lines. */
  errors: NetplanError[];
  /** `run/systemd/network/*` contents, keyed by file name (e.g. `10-netplan-vxlan0.netdev`). */
  outputs: Record<string, string>;
  /** Every file generated under the root's `run/`, keyed by path relative to the root. */
  allOutputs: Record<string, string>;
  durationMs: number;
}

function checkFileName(name: string, allowed: RegExp, what: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@+-]*$/.test(name) || !allowed.test(name)) {
    throw new Error(`invalid ${what} file name ${JSON.stringify(name)} (must match ${allowed})`);
  }
}

async function readTree(root: string, rel = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const dir = path.join(root, rel);
  if (!existsSync(dir)) return out;
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const r = path.join(rel, ent.name);
    if (ent.isDirectory()) Object.assign(out, await readTree(root, r));
    else if (ent.isFile()) out[r] = await readFile(path.join(root, r), "utf8");
  }
  return out;
}

/**
 * Run the real netplan C generator over `files` (file name -> YAML text) placed in a temporary
 * `R/etc/netplan/` (mode 600) with `--root-dir R`. Does not need root.
 */
export async function netplanGenerate(
  files: Record<string, string>,
  opts: { timeoutMs?: number } = {},
): Promise<NetplanResult> {
  const generator = findNetplanGenerator();
  if (!generator) {
    throw new Error(
      `netplan generator not found (tried ${NETPLAN_GENERATOR_CANDIDATES.join(", ")})`,
    );
  }
  const res = newResources();
  try {
    const root = await makeTempDir(res, "netplan");
    const etc = path.join(root, "etc", "netplan");
    await mkdir(etc, { recursive: true, mode: 0o755 });
    for (const [name, text] of Object.entries(files)) {
      checkFileName(name, /\.yaml$/, "netplan");
      await writeFile(path.join(etc, name), text, { mode: 0o600 });
      await chmod(path.join(etc, name), 0o600);
    }
    const r = await run([generator, "--root-dir", root], {
      allowFailure: true,
      timeoutMs: opts.timeoutMs ?? 10_000,
    });
    if (r.timedOut) throw new CommandError(describeResult(r), r);
    const errors: NetplanError[] = [];
    const errRe = /^(\/\S+?):(\d+):(\d+): (?:Error in network definition: )?(.*)$/;
    for (const line of r.stderr.split("\n")) {
      const m = errRe.exec(line);
      if (!m || !m[1]?.startsWith(etc + "/")) continue;
      errors.push({
        file: path.basename(m[1]),
        line: Number(m[2]),
        column: Number(m[3]),
        message: m[4] ?? "",
      });
    }
    const runTree = await readTree(root, "run");
    const outputs: Record<string, string> = {};
    for (const [rel, text] of Object.entries(runTree)) {
      const prefix = path.join("run", "systemd", "network") + "/";
      if (rel.startsWith(prefix)) outputs[rel.slice(prefix.length)] = text;
    }
    return {
      ok: r.code === 0,
      exitCode: r.code,
      stderr: r.stderr,
      errors,
      outputs,
      allOutputs: runTree,
      durationMs: r.durationMs,
    };
  } finally {
    await cleanupAsync(res);
  }
}

// ---------------------------------------------------------------------------------------------
// systemd-networkd in a namespace
// ---------------------------------------------------------------------------------------------

/** The systemd-networkd files of one node. */
export interface NetworkdFiles {
  /**
   * `/etc/systemd/network/` contents: `*.network`, `*.netdev` (and `*.link`, ignored by networkd),
   * and drop-ins named `<unit>.d/<name>.conf`.
   */
  network: Record<string, string>;
  /** `/etc/systemd/networkd.conf.d/*.conf` drop-ins. */
  confDropIns?: Record<string, string>;
}

export type NetworkdLogLevel = "err" | "warning" | "notice" | "info" | "debug";

/**
 * Shell run as `ip netns exec NS sh -c SCRIPT sh CONFIG_DIR WITH_DBUS`, i.e. already in a private
 * mount namespace; its mounts are invisible to the host. Prints `NC_DBUS_PID=<pid>` (if asked)
 * and `NC_READY` on stdout, then execs networkd (so the spawned PID *is* networkd's PID).
 */
const NETWORKD_WRAPPER = `
set -eu
cfg="$1"; with_dbus="$2"; networkd="$3"
# Private /run (the host's /run may be a plain directory on disk) and /etc/systemd.
mount -t tmpfs -o mode=0755 nc-run /run
mkdir -p /run/systemd /run/dbus
mount -t tmpfs -o mode=0755 nc-etc-systemd /etc/systemd
mkdir /etc/systemd/network /etc/systemd/networkd.conf.d
mount --bind "$cfg/network" /etc/systemd/network
mount --bind "$cfg/networkd.conf.d" /etc/systemd/networkd.conf.d
# Hide the distribution's vendor .network files (80-container-ve.network etc.).
for d in /usr/lib/systemd/network /usr/local/lib/systemd/network /usr/lib/systemd/networkd.conf.d /usr/local/lib/systemd/networkd.conf.d; do
  if [ -d "$d" ]; then mount -t tmpfs -o mode=0755 nc-vendor "$d"; fi
done
# Read-only /sys: networkd then assumes there is no udev instead of waiting for it forever.
mount -o remount,ro /sys
if [ "$with_dbus" = 1 ]; then
  pid=$(dbus-daemon --system --fork --print-pid=1)
  echo "NC_DBUS_PID=$pid"
fi
echo NC_READY
exec "$networkd"
`;

async function writeNetworkdConfigDir(dir: string, files: NetworkdFiles): Promise<void> {
  const net = path.join(dir, "network");
  const conf = path.join(dir, "networkd.conf.d");
  await mkdir(net, { recursive: true });
  await mkdir(conf, { recursive: true });
  // networkd drops privileges to systemd-network before reading its configuration: a 0700
  // directory (mkdtemp's default) makes it silently see NO files at all.
  for (const d of [dir, net, conf]) await chmod(d, 0o755);
  for (const [name, text] of Object.entries(files.network)) {
    // A drop-in ("10-x.network.d/50-y.conf") extends the unit file of the same name.
    const dropIn = /^([^/]+\.(?:network|netdev|link)\.d)\/([^/]+)$/.exec(name);
    if (dropIn) {
      checkFileName(dropIn[1]!, /\.(network|netdev|link)\.d$/, "networkd drop-in directory");
      checkFileName(dropIn[2]!, /\.conf$/, "networkd drop-in");
      await mkdir(path.join(net, dropIn[1]!), { recursive: true, mode: 0o755 });
      await chmod(path.join(net, dropIn[1]!), 0o755);
    } else {
      checkFileName(name, /\.(network|netdev|link)$/, "networkd");
    }
    await writeFile(path.join(net, name), text, { mode: 0o644 });
  }
  for (const [name, text] of Object.entries(files.confDropIns ?? {})) {
    checkFileName(name, /\.conf$/, "networkd.conf.d");
    await writeFile(path.join(conf, name), text, { mode: 0o644 });
  }
}

function networkdEnv(level: NetworkdLogLevel): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SYSTEMD_LOG_TARGET: "console",
    SYSTEMD_LOG_LEVEL: level,
    SYSTEMD_LOG_COLOR: "0",
    SYSTEMD_LOG_LOCATION: "0",
  };
}

interface StartedNetworkd {
  proc: ManagedProcess;
  dbusPid: number | undefined;
}

async function startNetworkdIn(
  res: Resources,
  ns: string,
  configDir: string,
  opts: { dbus: boolean; logLevel: NetworkdLogLevel; timeoutMs: number; label: string },
): Promise<StartedNetworkd> {
  const proc = spawnManaged(
    [
      "ip",
      "netns",
      "exec",
      ns,
      "sh",
      "-c",
      NETWORKD_WRAPPER,
      "sh",
      configDir,
      opts.dbus ? "1" : "0",
      NETWORKD_BINARY,
    ],
    `systemd-networkd (${opts.label})`,
    networkdEnv(opts.logLevel),
  );
  res.children.add(proc);
  await proc.waitFor(
    () => proc.stdout.includes("NC_READY\n") || !proc.running,
    opts.timeoutMs,
    "networkd wrapper to finish mounts",
  );
  const m = /NC_DBUS_PID=(\d+)/.exec(proc.stdout);
  const dbusPid = m?.[1] ? Number(m[1]) : undefined;
  if (dbusPid !== undefined) res.foreignPids.add(dbusPid);
  if (!proc.stdout.includes("NC_READY\n")) {
    throw new Error(
      `systemd-networkd wrapper in ${ns} ${proc.exitDescription} before starting networkd:\n${proc.stderr}`,
    );
  }
  return { proc, dbusPid };
}

/** Log lines that indicate a problem with the configuration (or that it could not be applied). */
const WARNING_PATTERNS: readonly RegExp[] = [
  /Unknown key/,
  /Unknown section/,
  /Failed to parse/,
  /could not be created/,
  /No valid settings found in the \[Match\] section/,
  /[Ii]gnoring/,
  /[Ii]nvalid/,
  /[Dd]eprecated/,
  /[Ff]ailed/,
  /[Mm]issing/,
  /[Cc]ould not/,
  /[Cc]annot/,
  /not supported/,
  /[Oo]bsolete/,
];

/** Host-environment noise that is not about the files under test. */
const NOISE_PATTERNS: readonly RegExp[] = [
  /Could not enumerate wireless LAN/,
  /Failed to get driver, continuing without/,
  /Failed to read \$container of PID 1/,
  /Failed to open configuration file '\/etc\/systemd\/networkd\.conf'/,
  /^lo: /,
];

export type NetworkdFindingKind =
  | "unknown-key"
  | "unknown-section"
  | "invalid-value"
  | "match"
  | "netdev-not-created"
  | "ignored"
  | "other";

export interface NetworkdFinding {
  kind: NetworkdFindingKind;
  /** Config file name (basename) the line refers to, if any. */
  file?: string;
  /** 1-based line in that file, if networkd gave one. */
  line?: number;
  /** Interface the message is about (`vxlan0: ...`), if any. */
  link?: string;
  text: string;
}

export function extractNetworkdWarnings(log: string): {
  warnings: string[];
  findings: NetworkdFinding[];
} {
  const warnings: string[] = [];
  const findings: NetworkdFinding[] = [];
  for (const raw of log.split("\n")) {
    const line = raw.trimEnd();
    if (!line || !WARNING_PATTERNS.some((re) => re.test(line))) continue;
    if (NOISE_PATTERNS.some((re) => re.test(line))) continue;
    warnings.push(line);
    const f: NetworkdFinding = { kind: "other", text: line };
    const fileLine = /(\/etc\/systemd\/(?:network|networkd\.conf\.d)\/([^\s:]+))(?::(\d+))?:/.exec(
      line,
    );
    if (fileLine) {
      f.file = fileLine[2];
      if (fileLine[3]) f.line = Number(fileLine[3]);
    }
    const link = /^([A-Za-z0-9_.@-]{1,15}): /.exec(line);
    if (link && !line.startsWith("/")) f.link = link[1];
    if (/Unknown key/.test(line)) f.kind = "unknown-key";
    else if (/Unknown section/.test(line)) f.kind = "unknown-section";
    else if (/\[Match\] section/.test(line)) f.kind = "match";
    else if (/could not be created/.test(line)) f.kind = "netdev-not-created";
    else if (/Failed to parse|[Ii]nvalid|not valid|without valid/.test(line))
      f.kind = "invalid-value";
    else if (/[Ii]gnoring/.test(line)) f.kind = "ignored";
    findings.push(f);
  }
  return { warnings, findings };
}

export interface ParseCheckOptions {
  /** How long networkd runs (default 1000 ms). */
  durationMs?: number;
  /**
   * Interfaces to create (as veth devices, peers named `ncpc<N>`) before networkd starts, so that
   * `.network` files match and `.netdev` files bound to them get created.
   */
  links?: readonly string[];
  logLevel?: NetworkdLogLevel;
}

export interface ParseCheckResult {
  warnings: string[];
  findings: NetworkdFinding[];
  log: string;
}

/**
 * Run the real systemd-networkd for ~1 s in a throwaway namespace over `files` and report the
 * log lines that show problems (`Unknown key`, `Failed to parse`, `could not be created`,
 * `No valid settings found in the [Match] section`, `Ignoring`, ...).
 */
export async function networkdParseCheck(
  files: NetworkdFiles,
  opts: ParseCheckOptions = {},
): Promise<ParseCheckResult> {
  const res = newResources();
  const ns = `${uniquePrefix()}-pc`;
  let result: ParseCheckResult;
  try {
    const dir = await makeTempDir(res, "networkd-check");
    await writeNetworkdConfigDir(dir, files);
    await addNamespace(res, ns);
    let i = 0;
    for (const name of opts.links ?? []) {
      checkIfName(name);
      await ipn(ns, `link add ${name} type veth peer name ncpc${i++}`);
    }
    const { proc } = await startNetworkdIn(res, ns, dir, {
      dbus: false,
      logLevel: opts.logLevel ?? "info",
      timeoutMs: 5000,
      label: "parse check",
    });
    await Promise.race([proc.exited, sleep(opts.durationMs ?? 1000)]);
    await proc.stop("SIGTERM", 2000);
    const log = proc.stderr;
    result = { ...extractNetworkdWarnings(log), log };
  } catch (e) {
    await cleanupAsync(res);
    throw e;
  }
  const problems = await cleanupAsync(res);
  if (problems.length) throw new Error(`networkdParseCheck cleanup: ${problems.join("; ")}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// IPv4 helpers
// ---------------------------------------------------------------------------------------------

function parseIpv4(s: string): number {
  const parts = s.split(".");
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${s}`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new Error(`not an IPv4 address: ${s}`);
    n = n * 256 + Number(p);
  }
  return n;
}

function parseCidr4(s: string): { network: number; prefix: number } {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s);
  if (!m?.[1] || !m[2] || Number(m[2]) > 32) throw new Error(`not an IPv4 CIDR: ${s}`);
  const prefix = Number(m[2]);
  const addr = parseIpv4(m[1]);
  const size = 2 ** (32 - prefix);
  const network = addr - (addr % size);
  if (network !== addr) throw new Error(`CIDR ${s} has host bits set`);
  return { network, prefix };
}

function inCidr(addr: number, c: { network: number; prefix: number }): boolean {
  const size = 2 ** (32 - c.prefix);
  return addr >= c.network && addr < c.network + size;
}

/** An IPv4 or IPv6 address (validated by the project's own parser), or an error. */
function parseIp(s: string): IpAddress {
  const ip = parseAddress(s);
  if (!ip || ip.text !== s) throw new Error(`not an IP address (in canonical form): ${s}`);
  return ip;
}

/** An IPv6 network with no host bits, or an error. */
function parseCidr6(s: string): Cidr {
  const cidr = parseCidr(s);
  if (!cidr || cidr.version !== 6) throw new Error(`not an IPv6 CIDR: ${s}`);
  if (cidr.hostBitsSet) throw new Error(`CIDR ${s} has host bits set`);
  return cidr;
}

function checkIfName(name: string): void {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(name) || name === "." || name === "..") {
    throw new Error(
      `invalid interface name ${JSON.stringify(name)} (1..15 chars of [A-Za-z0-9_.-])`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Lab topology
// ---------------------------------------------------------------------------------------------

export interface LabSubnet {
  name: string;
  /** Underlay subnet, IPv4 CIDR, e.g. `10.10.1.0/24`. */
  cidr: string;
  /** The router's address in this subnet (no prefix), e.g. `10.10.1.1`. */
  routerAddress: string;
  /** Dual-stack: the IPv6 subnet on the same links, e.g. `fd00:10:1::/64`. */
  cidrV6?: string;
  /** The router's IPv6 address in `cidrV6` (no prefix), e.g. `fd00:10:1::1`. */
  routerAddressV6?: string;
  /** MTU of this subnet's links (default 1500). */
  mtu?: number;
}

export interface LabNode {
  name: string;
  /** Name of the subnet the node's underlay interface is attached to. */
  subnet: string;
  /** Underlay address, with or without prefix (the subnet's prefix is used). */
  address: string;
  /** Dual-stack: the node's IPv6 underlay address (no prefix), in its subnet's `cidrV6`. */
  addressV6?: string;
  /** Underlay interface name inside the node namespace, e.g. `eth0`. */
  interface: string;
}

export interface LabSpec {
  subnets: readonly LabSubnet[];
  nodes: readonly LabNode[];
  /**
   * Pre-configure each node's underlay address and routes to the other underlay subnets (via its
   * router address) with `ip`, emulating a NIC configured by something other than networkd.
   * Default false: the underlay link is created down and unconfigured, as at boot, and the
   * node's networkd files are expected to configure it. Only set this when the files do NOT
   * manage the underlay interface: networkd 252 (on this kernel) intermittently busy-loops and
   * fails the link with ERANGE when it starts on a link that already has the address it
   * configures.
   */
  configureUnderlay?: boolean;
  /** Set accept_dad=0 in node namespaces so IPv6 link-local addresses (and hence networkd's
   * "configured" state) are immediate (default true). */
  fastIpv6Dad?: boolean;
}

export interface StartNetworkdOptions {
  logLevel?: NetworkdLogLevel;
  /** Start a private dbus-daemon so `networkctl` works (default true). */
  dbus?: boolean;
  timeoutMs?: number;
}

export interface LinkState {
  ifname: string;
  ifindex: number;
  adminState: string;
  operState: string;
  /** Raw `/run/systemd/netif/links/<ifindex>` content. */
  stateFile: string;
}

export interface PingOptions {
  /** ICMP payload size (`-s`). */
  size?: number;
  /** Set DF and forbid local fragmentation (`-M do`). */
  dontFragment?: boolean;
  count?: number;
  /** Seconds between packets (default 0.1). */
  interval?: number;
  /** Source address (`-I <address>`), e.g. a workload address added with `addWorkload`. */
  sourceAddress?: string;
  /** Seconds to wait for each reply (default 1). */
  replyTimeoutSec?: number;
}

export interface PingResult {
  /** Every packet was answered. */
  ok: boolean;
  transmitted: number;
  received: number;
  errors: number;
  exitCode: number | null;
  output: string;
}

export interface CaptureOptions {
  /** Only packets in this direction (tcpdump `-Q`). */
  direction?: "in" | "out" | "inout";
  timeoutMs?: number;
}

export interface CaptureResult<T> {
  /** Packets tcpdump captured (from its `N packets captured` summary). */
  count: number;
  /** One-line summaries printed by tcpdump. */
  packets: string[];
  /** Return value of the function run during the capture. */
  result: T;
}

/**
 * tcpdump prints decoded encapsulated packets (VXLAN) on continuation lines without a
 * timestamp; join them so that there is exactly one entry per packet.
 */
function groupTcpdumpLines(out: string): string[] {
  const packets: string[] = [];
  for (const line of out.split("\n")) {
    if (line.trim() === "") continue;
    if (/^\d{2}:\d{2}:\d{2}\.\d+ /.test(line) || packets.length === 0) packets.push(line.trim());
    else packets[packets.length - 1] += ` | ${line.trim()}`;
  }
  return packets;
}

export interface Workload {
  node: string;
  address: string;
  /** The interface carrying the address inside the node namespace. */
  interface: string;
}

interface NodeState {
  spec: LabNode;
  ns: string;
  networkd?: StartedNetworkd;
  configDir?: string;
  workloads: number;
}

export interface Lab {
  /** Node name -> network namespace name (also `ROUTER`). */
  readonly namespaces: Readonly<Record<string, string>>;
  /** Router-side interface names, e.g. to `capture(ROUTER, lab.router.bridges["rack-a"], ...)`. */
  readonly router: {
    /** Subnet name -> bridge carrying that subnet (holds the router address). */
    readonly bridges: Readonly<Record<string, string>>;
    /** Node name -> the router-side veth (bridge port) of that node's underlay link. */
    readonly ports: Readonly<Record<string, string>>;
  };
  startNetworkd(node: string, files: NetworkdFiles, opts?: StartNetworkdOptions): Promise<void>;
  stopNetworkd(node: string): Promise<void>;
  /** networkd's log (stderr) so far. */
  networkdLog(node: string): string;
  /** Wait until networkd reports ADMIN_STATE=configured for `ifname` (throws on failed/unmanaged). */
  waitConfigured(node: string, ifname: string, opts?: { timeoutMs?: number }): Promise<LinkState>;
  /** Run a command in the node's (or `ROUTER`'s) network namespace; throws on non-zero exit. */
  exec(node: string, cmd: readonly string[], opts?: RunOptions): Promise<ExecResult>;
  ping(from: string, toAddress: string, opts?: PingOptions): Promise<PingResult>;
  capture<T>(
    node: string,
    ifname: string,
    bpfFilter: string,
    fn: () => Promise<T>,
    opts?: CaptureOptions,
  ): Promise<CaptureResult<T>>;
  /** `networkctl ARGS` against the node's networkd (via its private D-Bus). */
  networkctl(node: string, args: readonly string[], opts?: RunOptions): Promise<ExecResult>;
  addWorkload(node: string, address: string): Promise<Workload>;
  /** Kill everything started and delete every namespace created; idempotent. */
  destroy(): Promise<void>;
}

/**
 * Measured on this machine (networkd 252, kernel 6.18): when networkd starts on a link that
 * already carries the IPv4 address its .network configures, it sometimes re-sends the address
 * request in a busy loop (65 536 "Configuring static address" debug lines) until sd-netlink runs
 * out of reply slots (ERANGE) and the link fails. Always with LinkLocalAddressing=no; sometimes
 * without it.
 */
const ERANGE_HINT =
  " (hint: networkd 252 can busy-loop and fail with ERANGE when it starts on a link that" +
  " already has the address it configures; do not combine configureUnderlay: true with files" +
  " that manage the underlay interface)";

const ROUTER_IF_PREFIX = "rv";
const BRIDGE_PREFIX = "sbr";

/**
 * Build the topology: one namespace per node and a router namespace with one bridge per subnet
 * (addressed with the subnet's router address, ip_forward=1, no routes other than the connected
 * underlay subnets). Each node gets a veth named `node.interface` whose peer is a port of its
 * subnet's bridge in the router namespace. Everything is torn down if creation fails.
 */
export async function createLab(spec: LabSpec): Promise<Lab> {
  // ---- validate
  const subnets = new Map<
    string,
    { spec: LabSubnet; cidr: { network: number; prefix: number }; index: number }
  >();
  spec.subnets.forEach((s, index) => {
    if (subnets.has(s.name)) throw new Error(`duplicate subnet ${s.name}`);
    const cidr = parseCidr4(s.cidr);
    if (!inCidr(parseIpv4(s.routerAddress), cidr)) {
      throw new Error(`router address ${s.routerAddress} is not in subnet ${s.name} (${s.cidr})`);
    }
    if (s.mtu !== undefined && (!Number.isInteger(s.mtu) || s.mtu < 576 || s.mtu > 65535)) {
      throw new Error(`subnet ${s.name}: bad mtu ${s.mtu}`);
    }
    if ((s.cidrV6 === undefined) !== (s.routerAddressV6 === undefined))
      throw new Error(`subnet ${s.name}: cidrV6 and routerAddressV6 go together`);
    if (
      s.cidrV6 !== undefined &&
      !cidrContainsAddress(parseCidr6(s.cidrV6), parseIp(s.routerAddressV6!))
    )
      throw new Error(`router address ${s.routerAddressV6} is not in ${s.cidrV6}`);
    subnets.set(s.name, { spec: s, cidr, index });
  });
  const dualStack = spec.subnets.some((s) => s.cidrV6 !== undefined);
  const usedAddresses = new Set(
    spec.subnets.flatMap((s) => [
      s.routerAddress,
      ...(s.routerAddressV6 ? [s.routerAddressV6] : []),
    ]),
  );
  const nodeNames = new Set<string>();
  for (const n of spec.nodes) {
    if (n.name === ROUTER || nodeNames.has(n.name))
      throw new Error(`bad or duplicate node name ${n.name}`);
    nodeNames.add(n.name);
    const sub = subnets.get(n.subnet);
    if (!sub) throw new Error(`node ${n.name}: unknown subnet ${n.subnet}`);
    const [addr = "", prefixLen] = n.address.split("/");
    if (prefixLen !== undefined && Number(prefixLen) !== sub.cidr.prefix) {
      throw new Error(`node ${n.name}: prefix /${prefixLen} differs from subnet ${sub.spec.cidr}`);
    }
    if (!inCidr(parseIpv4(addr), sub.cidr))
      throw new Error(`node ${n.name}: ${addr} not in ${sub.spec.cidr}`);
    if (usedAddresses.has(addr)) throw new Error(`node ${n.name}: address ${addr} already used`);
    usedAddresses.add(addr);
    if (n.addressV6 !== undefined) {
      const v6 = sub.spec.cidrV6;
      if (v6 === undefined || !cidrContainsAddress(parseCidr6(v6), parseIp(n.addressV6)))
        throw new Error(`node ${n.name}: ${n.addressV6} not in subnet ${sub.spec.name}'s cidrV6`);
      if (usedAddresses.has(n.addressV6))
        throw new Error(`node ${n.name}: address ${n.addressV6} already used`);
      usedAddresses.add(n.addressV6);
    }
    checkIfName(n.interface);
  }

  const res = newResources();
  const prefix = uniquePrefix();
  const routerNs = `${prefix}-router`;
  const nodes = new Map<string, NodeState>();
  spec.nodes.forEach((n, i) => {
    const safe = n.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .slice(0, 24);
    nodes.set(n.name, { spec: n, ns: `${prefix}-n${i}-${safe}`, workloads: 0 });
  });
  let destroyed = false;
  const activeCaptures = new Set<ManagedProcess>();

  const nsOf = (node: string): string => {
    if (node === ROUTER) return routerNs;
    const st = nodes.get(node);
    if (!st) throw new Error(`unknown node ${node}`);
    return st.ns;
  };
  const nodeState = (node: string): NodeState => {
    const st = nodes.get(node);
    if (!st) throw new Error(`unknown node ${node}`);
    return st;
  };
  const assertAlive = () => {
    if (destroyed) throw new Error("lab already destroyed");
  };

  const destroy = async (): Promise<void> => {
    if (destroyed) return;
    destroyed = true;
    await Promise.all([...activeCaptures].map((p) => p.stop("SIGKILL", 500)));
    const problems = await cleanupAsync(res);
    if (problems.length) throw new Error(`lab cleanup problems: ${problems.join("; ")}`);
  };

  try {
    // ---- router
    await addNamespace(res, routerNs);
    await writeSysctl(routerNs, "net.ipv4.ip_forward", "1");
    if (dualStack) await writeSysctl(routerNs, "net.ipv6.conf.all.forwarding", "1");
    for (const { spec: s, cidr, index } of subnets.values()) {
      const br = `${BRIDGE_PREFIX}${index}`;
      const mtu = String(s.mtu ?? 1500);
      await ipn(routerNs, `link add ${br} mtu ${mtu} type bridge forward_delay 0 stp_state 0`);
      await ipn(routerNs, `addr add ${s.routerAddress}/${cidr.prefix} dev ${br}`);
      if (s.cidrV6 !== undefined) {
        // nodad: the router's address answers at once (no duplicate address detection wait).
        const prefix = parseCidr6(s.cidrV6).prefix;
        await ipn(routerNs, `addr add ${s.routerAddressV6}/${prefix} dev ${br} nodad`);
      }
      await ipn(routerNs, `link set ${br} up`);
    }
    // ---- nodes (in parallel: each only touches its own namespace + its own bridge port)
    const fastDad = spec.fastIpv6Dad ?? true;
    // allSettled, not all: on failure every node's setup must have stopped before the teardown
    // below runs, or a late `ip netns add` could escape it.
    const settled = await Promise.allSettled(
      [...nodes.values()].map(async (st, i) => {
        const n = st.spec;
        const sub = subnets.get(n.subnet);
        if (!sub) throw new Error("unreachable");
        await addNamespace(res, st.ns);
        if (fastDad) {
          await writeSysctl(st.ns, "net.ipv6.conf.all.accept_dad", "0");
          await writeSysctl(st.ns, "net.ipv6.conf.default.accept_dad", "0");
        }
        const rv = `${ROUTER_IF_PREFIX}${i}`;
        const mtu = String(sub.spec.mtu ?? 1500);
        // Created directly in the router namespace with the peer directly in the node
        // namespace: nothing ever appears in the root namespace.
        await ipn(
          routerNs,
          `link add ${rv} mtu ${mtu} type veth peer name ${n.interface} netns ${st.ns} mtu ${mtu}`,
        );
        await ipn(routerNs, `link set ${rv} master ${BRIDGE_PREFIX}${sub.index} up`);
        if (spec.configureUnderlay ?? false) {
          const addr = n.address.includes("/") ? n.address : `${n.address}/${sub.cidr.prefix}`;
          await ipn(st.ns, `addr add ${addr} dev ${n.interface}`);
          await ipn(st.ns, `link set ${n.interface} up`);
          for (const other of subnets.values()) {
            if (other === sub) continue;
            await ipn(
              st.ns,
              `route add ${other.spec.cidr} via ${sub.spec.routerAddress} dev ${n.interface}`,
            );
          }
          if (n.addressV6 !== undefined) {
            const prefix = parseCidr6(sub.spec.cidrV6!).prefix;
            await ipn(st.ns, `addr add ${n.addressV6}/${prefix} dev ${n.interface} nodad`);
            for (const other of subnets.values()) {
              if (other === sub || other.spec.cidrV6 === undefined) continue;
              await ipn(
                st.ns,
                `-6 route add ${other.spec.cidrV6} via ${sub.spec.routerAddressV6!} dev ${n.interface}`,
              );
            }
          }
        }
      }),
    );
    for (const r of settled) if (r.status === "rejected") throw r.reason;
  } catch (e) {
    await destroy().catch(() => undefined);
    throw e;
  }

  const exec = (node: string, cmd: readonly string[], opts: RunOptions = {}) => {
    assertAlive();
    return run(["ip", "netns", "exec", nsOf(node), ...cmd], opts);
  };

  const networkdPid = (node: string): number => {
    const nd = nodeState(node).networkd;
    if (!nd || nd.proc.pid === undefined) throw new Error(`networkd not started on ${node}`);
    if (!nd.proc.running) {
      throw new Error(
        `networkd on ${node} ${nd.proc.exitDescription}; log:\n${nd.proc.stderr.slice(-4000)}`,
      );
    }
    return nd.proc.pid;
  };

  const lab: Lab = {
    namespaces: Object.fromEntries<string>([
      [ROUTER, routerNs],
      ...[...nodes].map(([k, v]): [string, string] => [k, v.ns]),
    ]),
    router: {
      bridges: Object.fromEntries(
        [...subnets.values()].map((s) => [s.spec.name, `${BRIDGE_PREFIX}${s.index}`]),
      ),
      ports: Object.fromEntries([...nodes.keys()].map((k, i) => [k, `${ROUTER_IF_PREFIX}${i}`])),
    },

    async startNetworkd(node, files, opts = {}) {
      assertAlive();
      const st = nodeState(node);
      if (st.networkd?.proc.running) throw new Error(`networkd already running on ${node}`);
      const dir = await makeTempDir(res, `networkd-${node.replace(/[^A-Za-z0-9]+/g, "_")}`);
      await writeNetworkdConfigDir(dir, files);
      st.configDir = dir;
      st.networkd = await startNetworkdIn(res, st.ns, dir, {
        dbus: opts.dbus ?? true,
        logLevel: opts.logLevel ?? "info",
        timeoutMs: opts.timeoutMs ?? 5000,
        label: node,
      });
    },

    async stopNetworkd(node) {
      const nd = nodeState(node).networkd;
      if (!nd) return;
      await nd.proc.stop("SIGTERM", 2000);
      if (nd.dbusPid !== undefined) killForeignPidIfOurs(nd.dbusPid, [nodeState(node).ns]);
    },

    networkdLog(node) {
      return nodeState(node).networkd?.proc.stderr ?? "";
    },

    async waitConfigured(node, ifname, opts = {}) {
      assertAlive();
      checkIfName(ifname);
      const timeoutMs = opts.timeoutMs ?? 15_000;
      const deadline = Date.now() + timeoutMs;
      let last = "interface does not exist yet";
      for (;;) {
        const pid = networkdPid(node); // throws if networkd died
        // /proc/<pid>/root shows networkd's private mount namespace (its /run and its
        // namespace-specific read-only /sys) without spawning anything.
        const root = `/proc/${pid}/root`;
        try {
          const ifindex = Number(
            readFileSync(`${root}/sys/class/net/${ifname}/ifindex`, "utf8").trim(),
          );
          const stateFile = readFileSync(`${root}/run/systemd/netif/links/${ifindex}`, "utf8");
          const adminState = /^ADMIN_STATE=(.*)$/m.exec(stateFile)?.[1] ?? "";
          const operState = /^OPER_STATE=(.*)$/m.exec(stateFile)?.[1] ?? "";
          last = `ADMIN_STATE=${adminState} OPER_STATE=${operState}`;
          if (adminState === "configured")
            return { ifname, ifindex, adminState, operState, stateFile };
          if (adminState === "failed" || adminState === "unmanaged" || adminState === "linger") {
            const log = lab.networkdLog(node);
            throw new Error(
              `${node}/${ifname}: networkd says ${last}${
                adminState === "unmanaged" ? " (no .network file matched)" : ""
              }${/Numerical result out of range/.test(log) ? ERANGE_HINT : ""}\nnetworkd log:\n${log.slice(-4000)}`,
            );
          }
        } catch (e) {
          if (e instanceof Error && !("code" in e)) throw e; // our own error, not ENOENT
        }
        if (Date.now() > deadline) {
          throw new Error(
            `${node}/${ifname}: not configured after ${timeoutMs} ms (${last})\nnetworkd log:\n${lab
              .networkdLog(node)
              .slice(-4000)}`,
          );
        }
        await sleep(50);
      }
    },

    exec,

    async ping(from, toAddress, opts = {}) {
      // IPv4 or IPv6: iputils' ping picks the family from the address.
      parseIp(toAddress);
      const count = opts.count ?? 3;
      const interval = opts.interval ?? 0.1;
      const wait = opts.replyTimeoutSec ?? 1;
      const deadline = Math.ceil(count * interval + wait + 1);
      const args = [
        "ping",
        "-n",
        "-c",
        String(count),
        "-i",
        String(interval),
        "-W",
        String(wait),
        "-w",
        String(deadline),
      ];
      if (opts.size !== undefined) args.push("-s", String(opts.size));
      if (opts.dontFragment) args.push("-M", "do");
      if (opts.sourceAddress) {
        parseIp(opts.sourceAddress);
        args.push("-I", opts.sourceAddress);
      }
      args.push(toAddress);
      const r = await exec(from, args, { allowFailure: true, timeoutMs: (deadline + 5) * 1000 });
      const out = r.stdout + r.stderr;
      const m = /(\d+) packets transmitted, (\d+) received(?:, \+(\d+) errors)?/.exec(out);
      const transmitted = Number(m?.[1] ?? 0);
      const received = Number(m?.[2] ?? 0);
      const errors = Number(m?.[3] ?? 0);
      return {
        ok: r.code === 0 && transmitted > 0 && received === transmitted,
        transmitted,
        received,
        errors,
        exitCode: r.code,
        output: out,
      };
    },

    async capture(node, ifname, bpfFilter, fn, opts = {}) {
      assertAlive();
      checkIfName(ifname);
      const args = [
        "ip",
        "netns",
        "exec",
        nsOf(node),
        "tcpdump",
        "-i",
        ifname,
        "-n",
        "-l",
        "--immediate-mode",
      ];
      if (opts.direction) args.push("-Q", opts.direction);
      args.push(bpfFilter);
      const proc = spawnManaged(args, `tcpdump on ${node}/${ifname}`);
      res.children.add(proc);
      activeCaptures.add(proc);
      try {
        await proc.waitFor(
          () => /listening on /.test(proc.stderr) || !proc.running,
          opts.timeoutMs ?? 5000,
          "tcpdump to start listening",
        );
        if (!proc.running) throw new Error(`tcpdump ${proc.exitDescription}: ${proc.stderr}`);
        const result = await fn();
        await sleep(100); // let the last packets reach the capture buffer
        await proc.stop("SIGINT", 3000);
        const m = /(\d+) packets? captured/.exec(proc.stderr);
        if (!m?.[1]) throw new Error(`tcpdump did not report a packet count: ${proc.stderr}`);
        return {
          count: Number(m[1]),
          packets: groupTcpdumpLines(proc.stdout),
          result,
        };
      } finally {
        await proc.stop("SIGKILL", 500);
        activeCaptures.delete(proc);
        res.children.delete(proc);
      }
    },

    async networkctl(node, args, opts = {}) {
      assertAlive();
      const pid = networkdPid(node);
      return run(
        ["nsenter", "-t", String(pid), "-m", "-n", "--", "networkctl", "--no-pager", ...args],
        {
          ...opts,
          env: { ...process.env, SYSTEMD_COLORS: "0", SYSTEMD_PAGER: "cat", ...opts.env },
        },
      );
    },

    async addWorkload(node, address) {
      assertAlive();
      const ip = parseIp(address);
      if (usedAddresses.has(address))
        throw new Error(`address ${address} already used in this lab`);
      const st = nodeState(node);
      const k = st.workloads++;
      const ifname = `ncwl${k}`;
      // A veth pair with both ends in the node namespace (dummy devices are not available on
      // every kernel); the address is local to the node, so `ping -I <address>` sources from it.
      await ipn(st.ns, `link add ${ifname} type veth peer name ncwl${k}p`);
      const host = ip.version === 4 ? "32" : "128 nodad";
      await ipn(st.ns, `addr add ${address}/${host} dev ${ifname}`);
      await ipn(st.ns, `link set ncwl${k}p up`);
      await ipn(st.ns, `link set ${ifname} up`);
      usedAddresses.add(address);
      return { node, address, interface: ifname };
    },

    destroy,
  };
  return lab;
}

/** Create a lab, run `fn`, and always destroy the lab afterwards. */
export async function withLab<T>(spec: LabSpec, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await createLab(spec);
  try {
    return await fn(lab);
  } finally {
    await lab.destroy();
  }
}
