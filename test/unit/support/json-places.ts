/** A place in a JSON tree that a mutation can change: the container and the key or index in it. */
export type JsonPlace = [Record<string, unknown> | unknown[], string | number];

/**
 * Every place under `root`, depth first in document order: what the hostile-input properties pick from
 * (by a generated seed) to replace, delete or add beside.
 */
export function jsonPlaces(root: unknown): JsonPlace[] {
  const places: JsonPlace[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const [i, child] of node.entries()) {
        places.push([node, i]);
        walk(child);
      }
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        places.push([node as Record<string, unknown>, key]);
        walk(child);
      }
    }
  };
  walk(root);
  return places;
}
