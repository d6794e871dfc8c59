/**
 * Minimal typings of the parts of dcmjs 0.52 (which ships no declarations) that the DICOM import
 * uses. Values follow dcmjs' own shapes: `DicomDict.dict` maps 8-hex-digit tags to elements,
 * `naturalizeDataset` turns it into keyword-named values (numbers for numeric VRs, strings for
 * text, arrays when multi-valued, nested objects for sequences, ArrayBuffers/Uint8Arrays for
 * bulk data).
 */
declare module 'dcmjs' {
  export interface DicomElement {
    vr: string;
    Value: unknown[];
  }
  export interface DicomDict {
    meta: Record<string, DicomElement>;
    dict: Record<string, DicomElement>;
    /** Serialises to Part-10 bytes (used by tests to build synthetic files). */
    write(options?: object): ArrayBuffer;
  }
  export interface ReadFileOptions {
    ignoreErrors?: boolean;
    untilTag?: string | null;
    includeUntilTagValue?: boolean;
    noCopy?: boolean;
    forceStoreRaw?: boolean;
  }
  export interface Logger {
    setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void;
    getLogger(name: string): Logger;
  }
  const dcmjs: {
    data: {
      DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: ReadFileOptions): DicomDict;
      };
      DicomDict: new (meta: Record<string, DicomElement>) => DicomDict;
      DicomMetaDictionary: {
        naturalizeDataset(dict: Record<string, DicomElement>): Record<string, unknown>;
        denaturalizeDataset(dataset: Record<string, unknown>): Record<string, DicomElement>;
      };
    };
    log: Logger;
  };
  export default dcmjs;
}
