{
  "targets": [
    {
      "target_name": "memgrid_mmap",
      "sources": ["native/mmap.c", "native/rows.c", "native/folds.c"],
      "defines": ["_FILE_OFFSET_BITS=64", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags": ["-O2", "-ffp-contract=off", "-Wall", "-Wextra"]
    }
  ]
}
