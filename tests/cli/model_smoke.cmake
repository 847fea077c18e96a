# CLI smoke test, run by ctest as
#   cmake -DSIEVE=<path to sieve> -DSRC=<source dir> -DOUT=<scratch dir> -P model_smoke.cmake
# 1. `sieve model` on the bundled default design succeeds and writes sieve.stats.json
#    holding "cycles" and "energy_pj".
# 2. `sieve model` on a broken input (negative depth) exits with 2 and names the file
#    on stderr.

foreach(var SIEVE SRC OUT)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "model_smoke.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")

# ---- 1. the default design ----
set(cfg "${SRC}/configs/default")
execute_process(
  COMMAND "${SIEVE}" model
          "${cfg}/design.yaml" "${cfg}/map.yaml" "${cfg}/ERT.yaml" "${cfg}/ART.yaml"
          -o "${OUT}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
if(NOT rc STREQUAL "0")
  message(FATAL_ERROR "sieve model on configs/default exited with '${rc}'\nstdout:\n${out}\nstderr:\n${err}")
endif()

set(json_file "${OUT}/sieve.stats.json")
if(NOT EXISTS "${json_file}")
  message(FATAL_ERROR "sieve model did not write ${json_file}\nstdout:\n${out}\nstderr:\n${err}")
endif()
file(READ "${json_file}" json)
foreach(key cycles energy_pj)
  string(FIND "${json}" "\"${key}\"" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "${json_file} has no \"${key}\" key")
  endif()
endforeach()
string(JSON root_type ERROR_VARIABLE json_err TYPE "${json}")
if(json_err)
  message(FATAL_ERROR "${json_file} is not valid JSON: ${json_err}")
endif()

# ---- 2. a broken input: the buffer's depth is negative ----
set(bad_file "${OUT}/broken_negative_depth.yaml")
file(WRITE "${bad_file}" [=[
architecture:
  version: '0.4'
  subtree:
    - name: system
      attributes:
        version: '0.4'
        technology: 45nm
      local:
        - name: DRAM[1..1]
          class: DRAM
          attributes:
            width: 64
            datawidth: 16
        - name: buffer[1..1]
          class: smartbuffer_SRAM
          attributes:
            depth: -16
            width: 16
            datawidth: 16
        - name: mac[1..1]
          class: intmac
          attributes:
            multiplier_width: 16
            adder_width: 16
problem:
  version: '0.4'
  shape:
    name: dot_product
    dimensions: [K, M]
    data_spaces:
      - name: A
        projection:
          - [[K]]
      - name: B
        projection:
          - [[K]]
      - name: Z
        projection:
          - [[M]]
        read_write: true
  instance:
    K: 8
    M: 1
mapping:
  - target: buffer
    type: temporal
    factors: K8 M1
    permutation: KM
  - target: DRAM
    type: temporal
    factors: K1 M1
    permutation: KM
]=])

execute_process(
  COMMAND "${SIEVE}" model "${bad_file}" -o "${OUT}/broken"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
if(NOT rc STREQUAL "2")
  message(FATAL_ERROR "sieve model on a negative depth exited with '${rc}', expected 2\nstdout:\n${out}\nstderr:\n${err}")
endif()
string(FIND "${err}" "broken_negative_depth.yaml" pos)
if(pos EQUAL -1)
  message(FATAL_ERROR "sieve model's error does not name the file broken_negative_depth.yaml\nstderr:\n${err}")
endif()
string(FIND "${err}" "depth" pos)
if(pos EQUAL -1)
  message(WARNING "sieve model's error does not name the key 'depth':\n${err}")
endif()

message(STATUS "cli_model_smoke: ok (${json_file})")
