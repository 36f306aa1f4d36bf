/** `netcompile init`: a minimal valid repository to start from, commented; never over a file. */
import { resolve } from "node:path";
import { displayPath, EXIT, initRepo, type Provider } from "../../usecases/index.js";
import type { Io } from "../io.js";

export interface InitOptions {
  readonly provider: Provider;
  readonly dir: string;
  readonly underlayMtu?: string;
}

export function initCommand(options: InitOptions, io: Io): number {
  const mtu = options.underlayMtu === undefined ? undefined : Number(options.underlayMtu);
  if (mtu !== undefined && !(Number.isInteger(mtu) && mtu >= 576 && mtu <= 65535)) {
    io.stderr.write(
      `netcompile init: --underlay-mtu must be a whole number from 576 to 65535, not ${JSON.stringify(options.underlayMtu)}\n`,
    );
    return EXIT.usage;
  }
  const dir = resolve(io.cwd, options.dir);
  const shown = displayPath(io.cwd, dir);
  const result = initRepo(dir, { provider: options.provider, underlayMTU: mtu });
  if (result.status === "exists") {
    io.stderr.write(
      `netcompile init: ${result.files.join(", ")} already in ${shown}; nothing written (init never overwrites a file: choose another --dir)\n`,
    );
    return EXIT.usage;
  }
  const repo = shown === "." ? "" : ` --repo ${shown}`;
  io.stdout.write(
    `wrote ${result.files.join(", ")} in ${shown} (provider ${options.provider})\n` +
      `next: describe your subnets, nodes and pools in them, then \`netcompile validate${repo}\`\n`,
  );
  return EXIT.ok;
}
