/**
 * The Cluster schema (policies/schemas/cluster.schema.json is written from this module).
 * Edit here, then `npm run schemas`; a test fails while the JSON file differs.
 */
import type { NetcompileSchema } from "./extension.js";
import { PROVIDERS } from "./common.js";

export const clusterSchema = {
  $id: "https://netcompile.dev/schemas/v1alpha1/cluster.json",
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "netcompile Cluster",
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "metadata"],
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { $ref: "common.json#/definitions/metadata" },
    spec: {
      type: "object",
      additionalProperties: false,
      properties: {
        provider: { enum: PROVIDERS },
        install: { enum: ["manifest", "operator"] },
        calicoVersion: {
          type: "string",
          pattern: "^v[0-9]+\\.[0-9]+\\.[0-9]+$",
          "x-hint": "must be a Calico release tag such as v3.31.7",
        },
        networking: {
          type: "object",
          additionalProperties: false,
          properties: {
            backend: { enum: ["bird", "vxlan", "none"] },
            serviceCIDRs: { type: "array", items: { type: "string" } },
            underlayMTU: { type: "integer", minimum: 576, maximum: 65535 },
            podMTU: { type: "integer", minimum: 576, maximum: 65535 },
            vxlanPort: { type: "integer" },
            vxlanVNI: { type: "integer" },
            wireguard: {
              description:
                "WireGuard encryption of pod traffic between nodes, per IP family (FelixConfiguration wireguardEnabled / wireguardEnabledV6). Off when absent.",
              type: "object",
              additionalProperties: false,
              properties: {
                ipv4: { type: "boolean" },
                ipv6: { type: "boolean" },
              },
            },
          },
        },
        aws: {
          description:
            "Facts about the AWS instances (provider aws): what netcompile cannot see from the repository.",
          type: "object",
          additionalProperties: false,
          properties: {
            sourceDestCheck: {
              description:
                "The EC2 source/destination check on the instances' primary interfaces: disabled when provisioning (launch template, Terraform) turns it off already; then netcompile renders no FelixConfiguration awsSrcDstCheck, and calico-node needs no EC2 permission. Default: enabled (EC2's default).",
              enum: ["enabled", "disabled"],
            },
          },
        },
        typha: {
          description:
            "Typha between Felix and the API server (install: manifest). Runs when enabled is true, or when enabled is absent and the topology has more than 50 nodes or replicas is set; replicas defaults to the operator's count for the node count.",
          type: "object",
          additionalProperties: false,
          properties: {
            enabled: { type: "boolean" },
            replicas: { type: "integer", minimum: 1 },
          },
        },
        hostNetwork: {
          type: "object",
          additionalProperties: false,
          properties: {
            mode: { enum: ["calico", "static"] },
            formats: { type: "array", uniqueItems: true, items: { enum: ["netplan", "networkd"] } },
          },
        },
        output: {
          type: "object",
          additionalProperties: false,
          properties: {
            dir: {
              type: "string",
              minLength: 1,
              maxLength: 1024,
              pattern:
                "^(?![/\\\\])(?![A-Za-z]:)(?![./\\\\]*$)(?!.*(^|[/\\\\])\\.\\.([/\\\\]|$))[^\\x00-\\x1f\\x7f]+$",
              "x-hint":
                "must be a relative path inside the repository (no leading /, no .. segments)",
            },
          },
        },
        rules: {
          type: "object",
          additionalProperties: { enum: ["off", "info", "warning", "error"] },
        },
        ignore: { type: "array", items: { type: "string", minLength: 1 } },
        acknowledgements: {
          description:
            "Disruptive changes this repository accepts: each names the exact change netcompile plan reports (resource, field, from, to) and why.",
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["resource", "field", "from", "to", "reason"],
            properties: {
              resource: { type: "string", minLength: 1 },
              field: { type: "string", minLength: 1 },
              from: { anyOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }] },
              to: { anyOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }] },
              reason: {
                type: "string",
                pattern: "\\S",
                "x-hint": "must say why (a reason that is not blank)",
              },
            },
          },
        },
      },
    },
  },
} as const satisfies NetcompileSchema;
