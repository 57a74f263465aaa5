/** The data layer's public API: dtypes, NdArray, .npy, memmap, reductions, dump/load, dataset store, CSV, synthetic data. */
export {
  DTYPES, NATIVE_LITTLE_ENDIAN, isDType, itemSize, isFloatDType, isBigIntDType, viewOf, allocate, dtypeOfTypedArray, parseDescr, descrOf,
  type DType, type TypedArrayFor, type AnyTypedArray, type ByteOrder,
} from './dtypes.js';
export {
  ndarray, shapeSize, stridesOf, elementAsNumber, toFloat64, toNested, rowWindows, isSingleWindow, get,
  type NdArray, type MappedArray, type MapMode, type MapAdvice, type Order, type RowWindow,
} from './ndarray.js';
export {
  NPY_MAGIC, NPY_ALIGN, NPY_MAX_HEADER_SIZE, parseNpyHeader, encodeNpyHeader, parsePyLiteral, PyTuple,
  type NpyHeader, type PyValue,
} from './npy-header.js';
export { readNpy, saveNpy, openNpy, readNpyHeader, isMapped, type OpenNpyOptions } from './npy.js';
export { memmap, DEFAULT_WINDOW_BYTES, MAX_WINDOW_BYTES, type MemmapOptions } from './memmap.js';
export { swapBytes } from './byteswap.js';
export { sum, mean, std, columnMeans } from './reduce.js';
export { firstNonFinite } from './finite.js';
export { dump, load, registerDumpType, type DumpType, type LoadOptions } from './dump.js';
export {
  persistDataset, openStore, writeFoldSet, readFoldSet, checkStoreUnchanged,
  type DatasetStore, type OpenedStore, type StoreManifest, type StoreArrayEntry, type StoreWriter, type FoldIndices,
} from './store.js';
export { defaultStoreRoot, STORE_ROOT_ENV } from './store-root.js';
export {
  listStores, verifyStores, pruneStores, type StoreInfo, type StoreCheck, type PruneOptions, type PruneOutcome,
} from './store-admin.js';
export { importCsv, importCsvToStore, type ImportCsvOptions, type ImportedCsv } from './csv.js';
export { importCsvToNpy, type StreamedCsv } from './csv-stream.js';
export { makeRegression, makeClassification, type MakeRegressionOptions, type MakeClassificationOptions } from './synthetic.js';
