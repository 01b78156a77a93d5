/** Names shared by the registry, the weight loaders and the AU model. */
export type BackboneName = 'mobilenet_v1' | 'mobilenet_v2' | 'densenet121' | 'densenet201';
export const BACKBONE_NAMES: readonly BackboneName[] = ['mobilenet_v1', 'mobilenet_v2', 'densenet121', 'densenet201'];

/** Throws unless `name` is a backbone name; the error lists the valid ones. */
export function assertBackboneName(name: string): asserts name is BackboneName {
  if (!(BACKBONE_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown backbone '${name}'; valid: ${BACKBONE_NAMES.join(', ')}`);
  }
}
