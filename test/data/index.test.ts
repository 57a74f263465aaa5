import { expect, it } from 'vitest';
import * as data from '../../src/data/index.js';

it('the data barrel exports this list of runtime values (update on purpose only)', () => {
  expect(Object.keys(data).sort()).toEqual([
    'DEFAULT_WINDOW_BYTES', 'DTYPES', 'MAX_WINDOW_BYTES', 'NATIVE_LITTLE_ENDIAN', 'NPY_ALIGN', 'NPY_MAGIC',
    'NPY_MAX_HEADER_SIZE', 'PyTuple', 'STORE_ROOT_ENV', 'allocate', 'checkStoreUnchanged', 'columnMeans',
    'defaultStoreRoot', 'descrOf', 'dtypeOfTypedArray', 'dump', 'elementAsNumber', 'encodeNpyHeader', 'firstNonFinite',
    'get', 'importCsv', 'importCsvToNpy', 'importCsvToStore', 'isBigIntDType', 'isDType', 'isFloatDType', 'isMapped',
    'isSingleWindow', 'itemSize', 'listStores', 'load', 'makeClassification', 'makeRegression', 'mean', 'memmap', 'ndarray',
    'openNpy', 'openStore', 'parseDescr', 'parseNpyHeader', 'parsePyLiteral', 'persistDataset', 'pruneStores', 'readFoldSet',
    'readNpy', 'readNpyHeader', 'registerDumpType', 'rowWindows', 'saveNpy', 'shapeSize', 'std', 'stridesOf', 'sum',
    'swapBytes', 'toFloat64', 'toNested', 'verifyStores', 'viewOf', 'writeFoldSet',
  ]);
});
