import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as lib from '../lib';

// The public API of shared/design.md: notebooks and outside scripts import these names from 'lib'.
const DESIGN_FUNCTIONS = [
  'initBackend',
  'bceLoss',
  'lsepLoss',
  'precisionRecallLoss',
  'getLoss',
  'precisionRecallCurve',
  'averagePrecision',
  'f1Report',
  'bestThresholds',
  'buildBackbone',
  'loadBackboneWeights',
  'buildAuModel',
  'trainTwoStage',
  'writeSyntheticDisfa',
  'loadDisfa',
] as const;

test('every function of the design contract is exported from lib', () => {
  for (const name of DESIGN_FUNCTIONS) {
    assert.equal(typeof (lib as Record<string, unknown>)[name], 'function', `lib.${name}`);
  }
});

test('BACKBONES lists exactly the four backbones of the paper', () => {
  assert.deepEqual(Object.keys(lib.BACKBONES).sort(), ['densenet121', 'densenet201', 'mobilenet_v1', 'mobilenet_v2']);
});

test('namespaces are exported alongside the flat names', () => {
  for (const ns of ['backend', 'losses', 'metrics', 'models', 'data', 'results', 'train', 'plots', 'report']) {
    assert.equal(typeof (lib as Record<string, unknown>)[ns], 'object', `lib.${ns}`);
  }
  assert.equal(lib.losses.lsepLoss, lib.lsepLoss);
});
