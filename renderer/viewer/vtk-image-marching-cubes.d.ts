// vtk.js ships no typings for this filter; the subset used by surface-view.ts.
declare module '@kitware/vtk.js/Filters/General/ImageMarchingCubes' {
  import type vtkImageData from '@kitware/vtk.js/Common/DataModel/ImageData';
  import type vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
  interface vtkImageMarchingCubes {
    setInputData(data: vtkImageData): void;
    getOutputData(): vtkPolyData;
    setContourValue(v: number): boolean;
  }
  const vtkImageMarchingCubes: {
    newInstance(init?: { contourValue?: number; computeNormals?: boolean; mergePoints?: boolean }): vtkImageMarchingCubes;
  };
  export default vtkImageMarchingCubes;
}
