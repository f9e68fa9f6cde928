/**
 * The device limits the kernels plan around. Each is requested at the adapter's maximum, because the
 * defaults (128 MiB bindings, 8 storage buffers, 16 KiB workgroup memory) are far below what most
 * adapters offer and a 3D activation easily exceeds them.
 */
export interface DeviceLimits {
  /** Bytes of one storage binding, a multiple of 256; larger tensors are stored as several segments. */
  readonly segmentBytes: number;
  /** Storage buffers one kernel may bind (segments of a split tensor count one each). */
  readonly maxStorageBuffers: number;
  /** Workgroups along one dispatch dimension; larger dispatches use a 2D or 3D grid. */
  readonly maxWorkgroupsPerDimension: number;
  /** Bytes of workgroup memory a tiled kernel may declare. */
  readonly maxWorkgroupStorageBytes: number;
  /** Invocations of one workgroup. */
  readonly maxInvocationsPerWorkgroup: number;
}

/** Limits asked of `requestDevice`: each at the adapter's maximum. */
export function requiredLimits(adapter: GPUAdapter): Record<string, number> {
  const l = adapter.limits;
  return {
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupSizeY: l.maxComputeWorkgroupSizeY,
    maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
  };
}

/**
 * Reads the limits of a device. `maxBindingBytes` lowers the segment size below the device's (tests use it
 * to exercise split tensors without allocating 128 MiB).
 */
export function deviceLimits(device: GPUDevice, maxBindingBytes?: number): DeviceLimits {
  const l = device.limits;
  let binding = Math.min(l.maxStorageBufferBindingSize, l.maxBufferSize);
  if (maxBindingBytes !== undefined) binding = Math.min(binding, maxBindingBytes);
  return {
    // A multiple of 256 bytes keeps every segment a whole number of vec4s and of any offset alignment.
    segmentBytes: Math.max(256, Math.floor(binding / 256) * 256),
    maxStorageBuffers: l.maxStorageBuffersPerShaderStage,
    maxWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    maxWorkgroupStorageBytes: l.maxComputeWorkgroupStorageSize,
    maxInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
  };
}
