{
  "targets": [
    {
      "target_name": "decimal",
      "sources": ["native/decimal.c"],
      "libraries": ["-lgmp"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
