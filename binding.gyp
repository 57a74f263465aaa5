{
  "targets": [
    {
      "target_name": "memgrid_mmap",
      "sources": ["native/mmap.c"],
      "defines": ["_FILE_OFFSET_BITS=64", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
