import { describe, it } from "vitest";
import { BASE_REPO, RuleTester } from "../tester.js";
import { rule } from "./vxlan-settings-invalid.js";

/** The setting is line 8 of netcompile.yaml; vxlanVNI's value at column 15, vxlanPort's at 16. */
const setting = (line: string) => ({
  "netcompile.yaml": `${BASE_REPO["netcompile.yaml"]}  networking:\n    ${line}\n`,
});
const vni = (value: number) => ({
  messageId: "vni",
  data: { value, min: 1, max: 16777215 },
  file: "netcompile.yaml",
  line: 8,
  column: 15,
});
const port = (value: number) => ({
  messageId: "port",
  data: { value, min: 1, max: 65535 },
  file: "netcompile.yaml",
  line: 8,
  column: 16,
});

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "defaults", files: {} },
    { name: "VNI 1", files: setting("vxlanVNI: 1") },
    { name: "VNI 16777215", files: setting("vxlanVNI: 16777215") },
    { name: "port 1", files: setting("vxlanPort: 1") },
    { name: "port 65535", files: setting("vxlanPort: 65535") },
  ],
  invalid: [
    { name: "VNI 0", files: setting("vxlanVNI: 0"), errors: [vni(0)] },
    { name: "VNI 16777216", files: setting("vxlanVNI: 16777216"), errors: [vni(16777216)] },
    { name: "port 0", files: setting("vxlanPort: 0"), errors: [port(0)] },
    { name: "port 65536", files: setting("vxlanPort: 65536"), errors: [port(65536)] },
  ],
});
