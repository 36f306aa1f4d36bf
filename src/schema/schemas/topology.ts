/**
 * The Topology schema (policies/schemas/topology.schema.json is written from this module).
 * Edit here, then `npm run schemas`; a test fails while the JSON file differs.
 */
import type { NetcompileSchema } from "./extension.js";

/** A Linux interface name (IFNAMSIZ less the terminator): nodes and node groups take one. */
const linuxInterfaceName = {
  type: "string",
  minLength: 1,
  maxLength: 15,
  pattern: "^(?!\\.\\.?$)[^/:\\s\\x00-\\x1f\\x7f]+$",
  "x-hint":
    "must be a Linux interface name: no slashes, colons, spaces or control characters, and not . or ..",
} as const;

export const topologySchema = {
  $id: "https://netcompile.dev/schemas/v1alpha1/topology.json",
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "netcompile Topology",
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "spec"],
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { $ref: "common.json#/definitions/optionalNameMetadata" },
    spec: {
      type: "object",
      additionalProperties: false,
      properties: {
        underlay: {
          type: "object",
          additionalProperties: false,
          properties: { routesWorkloadIPs: { type: "boolean" } },
        },
        subnets: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["name", "cidr"],
            properties: {
              name: { type: "string", minLength: 1 },
              cidr: { type: "string" },
              mtu: { type: "integer", minimum: 576, maximum: 65535 },
              zone: { type: "string" },
              gateway: { type: "string" },
              dhcp: { type: "boolean" },
              vpc: {
                description:
                  "The VPC (or other provider network) that holds the subnet. On AWS, subnets that hold nodes in different VPCs limit the underlay MTU to 1500 (traffic leaving a VPC).",
                type: "string",
                minLength: 1,
              },
            },
          },
        },
        nodes: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["name", "address"],
            properties: {
              name: {
                type: "string",
                minLength: 1,
                maxLength: 253,
                pattern: "^(?!\\.\\.?$)[^/\\\\\\s\\x00-\\x1f\\x7f]+$",
                "x-hint":
                  "must be a name without slashes, backslashes, spaces or control characters, and not . or .. (it names the node's folder of host files)",
              },
              address: { type: "string" },
              addressV6: {
                description:
                  "Dual-stack: the node's IPv6 address, in an IPv6 subnet, when `address` is its IPv4 address. IPv6 pools are routed with it.",
                type: "string",
              },
              interface: linuxInterfaceName,
              labels: { $ref: "common.json#/definitions/stringMap" },
              podCIDR: { type: "string" },
              podCIDRV6: {
                description:
                  "Static host networking, dual-stack: the node's IPv6 pod CIDR (a block of an IPv6 pool).",
                type: "string",
              },
            },
          },
        },
        nodeGroups: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["namePrefix", "count", "subnet", "firstAddress"],
            properties: {
              namePrefix: {
                type: "string",
                minLength: 1,
                maxLength: 240,
                pattern: "^[^/\\\\\\s\\x00-\\x1f\\x7f]+$",
                "x-hint":
                  "must be a prefix without slashes, backslashes, spaces or control characters",
              },
              count: { type: "integer", minimum: 1 },
              subnet: { type: "string" },
              firstAddress: { type: "string" },
              subnetV6: {
                description:
                  "Dual-stack: the IPv6 subnet the members' IPv6 addresses are in (with firstAddressV6).",
                type: "string",
              },
              firstAddressV6: {
                description:
                  "Dual-stack: the first member's IPv6 address; member i takes the i-th address from it (with subnetV6).",
                type: "string",
              },
              interface: linuxInterfaceName,
              labels: { $ref: "common.json#/definitions/stringMap" },
              firstPodCIDR: { type: "string" },
              firstPodCIDRV6: {
                description:
                  "Static host networking, dual-stack: member i takes the i-th IPv6 block counted from this CIDR.",
                type: "string",
              },
            },
            dependencies: { subnetV6: ["firstAddressV6"], firstAddressV6: ["subnetV6"] },
          },
        },
      },
    },
  },
} as const satisfies NetcompileSchema;
