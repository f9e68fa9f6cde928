export { ReferenceBackend } from './reference/reference-backend.js';
export { recordKernels, type KernelCall } from './reference/kernel-recorder.js';
export { erf } from './reference/erf.js';

export type { BackendConformanceOptions } from './conformance/describe-backend-conformance.js';
export { EXTRA_TEST_IDS, describeBackendConformance } from './conformance/describe-backend-conformance.js';
export { checkKernelCase } from './conformance/check-kernel-case.js';
export type { CaseInstance, HostTensor, KernelCase, KernelName } from './conformance/kernel-case.js';
export { KERNEL_NAMES, kernelCase, seedOf } from './conformance/kernel-case.js';
export { KERNEL_CASES } from './conformance/cases/all-cases.js';
export type { Tolerance } from './conformance/tolerance.js';
export { compareValues, isClose, toleranceFor } from './conformance/tolerance.js';
export { skipReason, validateSkips } from './conformance/skip-list.js';

export type { FixtureTensor, TorchFixture } from './torch/torch-fixture.js';
export { fixtureData, fixtureInput } from './torch/torch-fixture.js';
export { loadTorchFixtures } from './torch/load-torch-fixtures.js';
export type { TorchGoldenCheck } from './torch/torch-golden-checks.js';
export { KERNEL_FIXTURE_OPS, checkTorchGolden, torchGoldenChecks } from './torch/torch-golden-checks.js';
export { allTorchGoldenChecks, describeTorchGoldens } from './torch/describe-torch-goldens.js';

export type { GradCase, GradMismatch } from './autograd/gradcheck.js';
export { analyticGradients, gradcheck, numericGradients } from './autograd/gradcheck.js';
export { GRAD_CASES } from './autograd/grad-cases.js';
export { checkOpGolden, opGoldenChecks, type OpGoldenCheck } from './torch/op-goldens.js';
export { ToyConvNet } from './training/toy-net.js';
export { runToyTraining, type ToyRun } from './training/toy-training.js';
export { type ConformanceBatches, describeSslPluginConformance, type SslPluginConformanceOptions } from './plugins/describe-ssl-plugin-conformance.js';
export { syntheticBatches } from './plugins/synthetic-batches.js';
export { ToyDenoisingMethod, toyBatches } from './training/toy-method.js';
export { detValues, filled, filledValues, maxRelativeError, type FillRecipe, type ValueRecipe } from './fixtures/deterministic-values.js';
export { REQUIRE_REFERENCES_ENV, referencesRequired, requireReference } from './references/require-reference.js';
export { pythonMissing, requirePython, runPython, systemPython } from './references/python.js';

export * from './fuzz/index.js';
