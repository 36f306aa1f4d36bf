/**
 * How a finding names the object it is about: `IPPool/<name>`, `Node/<name>`, `Subnet/<name>`
 * (JSON's and SARIF's `resource`, the graph's and explain's object names, waivers' targets).
 */

/** An IPPool's resource name. */
export function poolResource(pool: { readonly name: string }): string {
  return `IPPool/${pool.name}`;
}

/** A node's resource name. */
export function nodeResource(node: { readonly name: string }): string {
  return `Node/${node.name}`;
}

/** A Topology subnet's resource name. */
export function subnetResource(subnet: { readonly name: string }): string {
  return `Subnet/${subnet.name}`;
}
