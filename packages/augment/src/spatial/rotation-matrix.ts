/**
 * The 3×3 rotation R = Rx(ax)·Ry(ay)·Rz(az), row-major, with batchgenerators' per-axis matrices
 * (`create_matrix_rotation_{x,y,z}_3d`). Coordinates are rotated as row vectors, c' = c·R.
 * @param ax - angle in radians about spatial axis 0 (rotates the plane of axes 1 and 2).
 * @param ay - angle about axis 1.
 * @param az - angle about axis 2.
 */
export function rotationMatrix(ax: number, ay: number, az: number): number[] {
  const rx = [1, 0, 0, 0, Math.cos(ax), -Math.sin(ax), 0, Math.sin(ax), Math.cos(ax)];
  const ry = [Math.cos(ay), 0, Math.sin(ay), 0, 1, 0, -Math.sin(ay), 0, Math.cos(ay)];
  const rz = [Math.cos(az), -Math.sin(az), 0, Math.sin(az), Math.cos(az), 0, 0, 0, 1];
  return matmul3(matmul3(rx, ry), rz);
}

function matmul3(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += a[i * 3 + k]! * b[k * 3 + j]!;
      out[i * 3 + j] = s;
    }
  }
  return out;
}

/** Row vector times matrix: (v·R)_j = Σ_i v_i R_ij. */
export function rotateRow(v: readonly number[], r: readonly number[]): [number, number, number] {
  return [
    v[0]! * r[0]! + v[1]! * r[3]! + v[2]! * r[6]!,
    v[0]! * r[1]! + v[1]! * r[4]! + v[2]! * r[7]!,
    v[0]! * r[2]! + v[1]! * r[5]! + v[2]! * r[8]!,
  ];
}
