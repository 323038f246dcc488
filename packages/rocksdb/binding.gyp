{
  "targets": [
    {
      "target_name": "tributary_rocksdb",
      "sources": ["native/binding.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc!": ["-fno-rtti", "-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-frtti", "-O2"],
      "libraries": ["-lrocksdb"]
    }
  ]
}
