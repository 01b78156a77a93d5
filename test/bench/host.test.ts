import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { vectorIsaFlags } from '../../lib/bench/host';

// The flags line of this project's CI machine type on 2026-12-02 (AMD EPYC, family 25 model 17), cut to its vector part.
const EPYC_ZEN4 = `processor\t: 0
model name\t: AMD EPYC
flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512_bf16 avx512vbmi avx512_vnni
processor\t: 1
flags\t\t: fpu sse sse2
`;
const NO_AVX512 = 'model name\t: Some CPU\nflags\t\t: fpu sse2 sse4_1 sse4_2 avx avx2 fma bmi2\n';

describe('bench host', () => {
  test('vectorIsaFlags lists the first CPU\'s vector ISA flags in width order', () => {
    assert.deepEqual(vectorIsaFlags(EPYC_ZEN4), ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16']);
    assert.deepEqual(vectorIsaFlags(NO_AVX512), ['sse4_2', 'avx', 'avx2', 'fma']);
  });
  test('vectorIsaFlags is empty without a flags line (not Linux x86)', () => {
    assert.deepEqual(vectorIsaFlags('processor\t: 0\nBogoMIPS\t: 48.00\nFeatures\t: fp asimd\n'), []);
    assert.deepEqual(vectorIsaFlags(''), []);
  });
});
