/**
 * Work counted, not timed (speed is `npm run bench`'s): a copy of a model whose nodes count every
 * property read, wherever a rule or renderer reaches them (the node list or a pool's nodes). A
 * stage that compares nodes pairwise reads n² times; one that is linear in nodes reads ~10x as
 * often at 10x the nodes.
 */
import type { Model, Node } from "../src/model/types.js";

export function countingNodeReads(model: Model): { model: Model; reads: () => number } {
  let reads = 0;
  const counted = new Map<Node, Node>();
  const count = (node: Node): Node => {
    let proxy = counted.get(node);
    if (!proxy) {
      proxy = new Proxy(node, {
        get(target, key, receiver) {
          reads++;
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
      counted.set(node, proxy);
    }
    return proxy;
  };
  const copy: Model = {
    ...model,
    topology: { ...model.topology, nodes: model.topology.nodes.map(count) },
    nodesByPool: new Map([...model.nodesByPool].map(([pool, nodes]) => [pool, nodes.map(count)])),
  };
  return { model: copy, reads: () => reads };
}
