import { expect, it } from 'vitest';
import * as data from '../../src/data/index.js';

it('the data barrel exports this list of runtime values (update on purpose only)', () => {
  expect(Object.keys(data).sort()).toEqual([
    'DTYPES', 'NATIVE_LITTLE_ENDIAN', 'NPY_ALIGN', 'NPY_MAGIC', 'NPY_MAX_HEADER_SIZE', 'PyTuple', 'STORE_ROOT_ENV', 'allFiniteInFile', 'allocate', 'checkStoreUnchanged', 'columnMeans',
    'defaultStoreRoot', 'descrOf', 'dtypeOfTypedArray', 'dump', 'elementAsNumber', 'encodeNpyHeader', 'firstNonFinite', 'importCsv', 'importCsvToStore', 'isBigIntDType',
    'isDType', 'isFloatDType', 'isMapped', 'itemSize', 'listStores', 'load', 'makeClassification', 'makeRegression', 'mean', 'memmap',
    'ndarray', 'openNpy', 'openStore', 'parseDescr', 'parseNpyHeader', 'parsePyLiteral', 'persistDataset', 'pruneStores', 'readFoldSet',
    'readNpy', 'readNpyHeader', 'registerDumpType', 'saveNpy', 'shapeSize', 'std', 'stridesOf', 'sum', 'swapBytes', 'toFloat64',
    'toNested', 'verifyStores', 'viewOf', 'writeFoldSet',
  ]);
});
