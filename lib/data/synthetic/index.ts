/**
 * The synthetic DISFA set: the embedded default dataset (labels from smooth AU trajectories calibrated to the
 * paper's Table 1, faces drawn from per-subject identities with each AU's FACS appearance change), written in
 * DISFA's layout. See trajectory.ts (labels), identity.ts, render.ts (faces), writer.ts (files), sheet.ts (figures).
 */
export {
  OTHER_AU_RATES, presenceTargets, programRates, framesForSubject, syntheticSubjects, synthesizeSubjectLabels,
  synthesizeLabels, formatLabelFile, type Program, type SubjectLabels,
} from './trajectory';
export { sampleIdentity, type Identity } from './identity';
export {
  FaceRenderer, framing, neutralNuisance, sampleNuisance, renderSyntheticFace, type Nuisance, type RenderFaceOptions,
} from './render';
export { frameIntensities, frameNuisance } from './frame';
export {
  writeSyntheticDisfa, labelFile as syntheticLabelFile, frameFile as syntheticFrameFile, SYNTHETIC_GENERATOR,
  SYNTHETIC_VERSION, PROVENANCE_FILE as SYNTHETIC_PROVENANCE_FILE, type SynthOptions, type SynthSummary,
} from './writer';
export { contactSheet, auGallery } from './sheet';
export { benchSyntheticGeneration, type SynthBenchResult } from './bench';
export { SYNTHETIC_REALISM } from './realism';
export { sampleAppearance, type Appearance } from './appearance';
