/** argv -> command -> exit code. Nothing here decides anything a command does. */
import { Command, CommanderError, Option } from "commander";
import { buildCommand } from "./commands/build.js";
import { explainCommand, type ExplainOptions } from "./commands/explain.js";
import { graphCommand, type GraphOptions } from "./commands/graph.js";
import { initCommand, type InitOptions } from "./commands/init.js";
import { importCommand, type ImportOptions } from "./commands/import.js";
import { planCommand, type PlanOptions } from "./commands/plan.js";
import { renderCommand } from "./commands/render.js";
import { schemaCommand } from "./commands/schema.js";
import { validateCommand, type ValidateOptions } from "./commands/validate.js";
import { verifyCommand, type VerifyOptions } from "./commands/verify.js";
import type { Io } from "./io.js";
import { EXIT, PROVIDERS } from "../usecases/index.js";
import { VERSION } from "../version.js";
import { formatMessage } from "../diagnostics/catalog.js";
import { terminalText } from "../util/terminal.js";
import { DIAGNOSTICS_FORMATS } from "../diagnostics/output.js";
import { PLAN_FORMATS } from "../plan/output.js";
import { UnknownFormatError } from "../util/output.js";

export type { Io } from "./io.js";

interface Registered {
  name: string;
  run: (io: Io) => number | Promise<number>;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  let chosen: Registered | undefined;
  const debug = argv.includes("--debug");
  const program = buildProgram(io, (r) => (chosen = r));
  try {
    await program.parseAsync(
      argv.filter((a) => a !== "--debug"),
      { from: "user" },
    );
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = ["commander.helpDisplayed", "commander.version"].includes(error.code);
      return ok ? EXIT.ok : EXIT.usage;
    }
    return internalError(io, error, debug);
  }
  if (!chosen) {
    io.stderr.write(program.helpInformation());
    return EXIT.usage;
  }
  try {
    return await chosen.run(io);
  } catch (error) {
    return internalError(io, error, debug);
  }
}

function internalError(io: Io, error: unknown, debug: boolean): number {
  if (error instanceof UnknownFormatError) {
    io.stderr.write(`netcompile: ${error.message}\n`);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(
    `netcompile: NC9001: ${terminalText(formatMessage("NC9001", { detail: message }))}\n`,
  );
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT.usage;
}

function buildProgram(io: Io, choose: (r: Registered) => void): Command {
  const program = new Command("netcompile");
  const repoOption = () =>
    new Option("--repo <dir>", "the repository (the folder with netcompile.yaml)").default(".");
  const formatOption = () =>
    new Option("--format <format>", "output format").choices(DIAGNOSTICS_FORMATS).default("text");
  const failOnOption = () =>
    new Option("--fail-on <severity>", "exit 1 on findings of this severity or worse")
      .choices(["error", "warning"])
      .default("error");
  program
    .description(
      "GitOps compiler for Kubernetes cluster networking (Calico pools + underlay topology)",
    )
    .version(VERSION, "-V, --version")
    .option("--debug", "on an internal error, print the stack")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  const sub = (name: string, description: string) =>
    program.command(name).description(description).exitOverride().allowExcessArguments(false);

  sub("validate", "check the repository against the schemas and rules; print diagnostics")
    .addOption(repoOption())
    .addOption(formatOption())
    .addOption(failOnOption())
    .action((opts: ValidateOptions) =>
      choose({
        name: "validate",
        run: (io) => validateCommand(opts, io),
      }),
    );

  sub("build", "validate, then write the rendered tree (manifests, host files, lock file)")
    .addOption(repoOption())
    .option(
      "--out <dir>",
      "output directory (default: the Cluster's spec.output.dir below the repository)",
    )
    .option(
      "--check",
      "write nothing; exit 1 when the output directory differs from what would be written",
      false,
    )
    .option("--force", "replace an output directory that netcompile did not write", false)
    .action((opts: { repo: string; out?: string; check: boolean; force: boolean }) =>
      choose({ name: "build", run: (io) => buildCommand(opts, io) }),
    );

  sub("render", "print the Kubernetes objects as one YAML stream (for an Argo CD plugin)")
    .addOption(repoOption())
    .action((opts: { repo: string }) =>
      choose({
        name: "render",
        run: (io) => renderCommand(opts, io),
      }),
    );

  sub(
    "plan",
    "show what changes between a base and the repository, and which changes disrupt traffic",
  )
    .addOption(repoOption())
    .addOption(
      new Option("--base <gitref>", "compare with the repository at this git revision").conflicts(
        "against",
      ),
    )
    .addOption(
      new Option(
        "--against <dir>",
        "compare with a rendered tree (e.g. the folder Argo CD syncs)",
      ).conflicts("live"),
    )
    .addOption(
      new Option(
        "--live <path>",
        "compare with a snapshot of the running cluster (its IPPools and calico-config)",
      ).conflicts("base"),
    )
    .addOption(
      new Option("--format <format>", "output format").choices(PLAN_FORMATS).default("text"),
    )
    .option("--detailed-exitcode", "exit 0 without changes, 2 with changes, 1 on errors", false)
    .option(
      "--markdown-limit <size>",
      'largest markdown output in bytes, "comment" (65536) or "summary" (1 MiB)',
      "comment",
    )
    .action((opts: Omit<PlanOptions, "markdownLimit"> & { markdownLimit: string }) =>
      choose({ name: "plan", run: (io) => planCommand(opts, io) }),
    );

  sub(
    "explain",
    "how workloads on two nodes reach each other: pool, decision and why, device, MTU, routes",
  )
    .argument("<node-a>", "a node of the topology")
    .argument("<node-b>", "another node")
    .addOption(repoOption())
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "json"]).default("text"),
    )
    .action((nodeA: string, nodeB: string, opts: ExplainOptions) =>
      choose({ name: "explain", run: (io) => explainCommand(nodeA, nodeB, opts, io) }),
    );

  sub("graph", "the overlay as a picture: subnets, and how workload traffic crosses between them")
    .addOption(repoOption())
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["mermaid", "dot", "svg"])
        .default("mermaid"),
    )
    .option("--pool <name>", "only this pool's decisions")
    .option(
      "--nodes",
      "list each subnet's nodes (small repositories only: at most 50 nodes)",
      false,
    )
    .action((opts: GraphOptions) => choose({ name: "graph", run: (io) => graphCommand(opts, io) }));

  sub(
    "verify",
    "compare the repository with a snapshot of the running cluster; print every disagreement",
  )
    .addOption(repoOption())
    .requiredOption("--live <path>", "the snapshot: a file or folder of kubectl/calicoctl output")
    .addOption(formatOption())
    .addOption(failOnOption())
    .action((opts: VerifyOptions) =>
      choose({ name: "verify", run: (io) => verifyCommand(opts, io) }),
    );

  sub("import", "write a repository (Cluster, Topology, IPPools) from a live cluster snapshot")
    .requiredOption("--live <path>", "the snapshot: a file or folder of kubectl/calicoctl output")
    .requiredOption("--out <dir>", "the folder to write the repository to (new or empty)")
    .option(
      "--force",
      "write into a folder that is not empty, replacing the files import writes",
      false,
    )
    .action((opts: ImportOptions) =>
      choose({ name: "import", run: (io) => importCommand(opts, io) }),
    );

  sub("init", "write a minimal valid repository to start from, commented (never over a file)")
    .addOption(
      new Option("--provider <provider>", "where the nodes run")
        .choices(PROVIDERS)
        .default("other"),
    )
    .option("--dir <dir>", "the folder to write it in (created when missing)", ".")
    .option(
      "--underlay-mtu <mtu>",
      "the network's MTU (default: netcompile's default for the provider)",
    )
    .action((opts: InitOptions) => choose({ name: "init", run: (io) => initCommand(opts, io) }));

  sub(
    "schema",
    "print a kind's JSON Schema, self-contained, for editors (Cluster, Topology, IPPool, Policy)",
  )
    .argument("<kind>", "Cluster, Topology, IPPool or Policy")
    .action((kind: string) => choose({ name: "schema", run: (io) => schemaCommand(kind, io) }));
  return program;
}
