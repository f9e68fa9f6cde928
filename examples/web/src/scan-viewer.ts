import { Niivue, NVImage, SHOW_RENDER, SLICE_TYPE } from '@niivue/niivue';

/** Overlay slots: each holds at most one volume, replaced when set again. */
export type OverlayRole = 'labels' | 'input' | 'masked' | 'reconstruction';

const STYLE: Record<OverlayRole, { colormap: string; opacity: number }> = {
  labels: { colormap: 'redyell', opacity: 0.55 },
  input: { colormap: 'gray', opacity: 1 },
  masked: { colormap: 'gray', opacity: 1 },
  reconstruction: { colormap: 'gray', opacity: 1 },
};

/**
 * NiiVue on one canvas: the scan in the usual three planes plus a 3-D render, and named overlays on top
 * (segmentation labels, MAE masked input and reconstruction), each loaded from .nii bytes made by the worker.
 */
export class ScanViewer {
  private readonly nv = new Niivue({ backColor: [0.07, 0.07, 0.1, 1], show3Dcrosshair: true, multiplanarShowRender: SHOW_RENDER.ALWAYS, isColorbar: false, crosshairWidth: 1 });
  private readonly overlays = new Map<OverlayRole, NVImage>();
  private base: NVImage | undefined;

  async attach(canvas: HTMLCanvasElement): Promise<void> {
    await this.nv.attachToCanvas(canvas);
    this.nv.setSliceType(SLICE_TYPE.MULTIPLANAR);
  }

  async showScan(nifti: ArrayBuffer, name: string): Promise<void> {
    for (const v of [...this.nv.volumes]) this.nv.removeVolume(v);
    this.overlays.clear();
    this.base = await NVImage.loadFromUrl({ url: nifti, name: niiName(name), colormap: 'gray' });
    this.nv.addVolume(this.base);
    this.nv.setSliceType(SLICE_TYPE.MULTIPLANAR);
  }

  async setOverlay(role: OverlayRole, nifti: ArrayBuffer, opacity = STYLE[role].opacity): Promise<void> {
    const old = this.overlays.get(role);
    if (old) this.nv.removeVolume(old);
    const image = await NVImage.loadFromUrl({ url: nifti, name: `${role}.nii`, colormap: STYLE[role].colormap, opacity });
    if (role === 'labels') {
      image.cal_min = 0.5;
      image.cal_max = Math.max(1, image.global_max ?? 1);
    } else if (this.base) {
      // MAE cubes are in scan intensities: the scan's window, and zeros (outside the cube) transparent.
      image.cal_min = 1e-4;
      image.cal_max = this.base.cal_max;
    }
    this.nv.addVolume(image);
    this.overlays.set(role, image);
    this.nv.updateGLVolume();
  }

  /** Shows one overlay at its opacity and hides the others (the MAE view's three-way toggle). */
  showOnly(role: OverlayRole): void {
    for (const [r, image] of this.overlays) {
      const index = this.nv.volumes.indexOf(image);
      if (index >= 0) this.nv.setOpacity(index, r === role || r === 'labels' ? STYLE[r].opacity : 0);
    }
  }
}

function niiName(name: string): string {
  return name.replace(/\.nii(\.gz)?$/i, '') + '.nii';
}
