# CLI smoke test, run by ctest as
#   cmake -DSIEVE=<path to sieve> -DSRC=<source dir> -P model_smoke.cmake
# in a fresh scratch folder (mktemp -d under $TMPDIR, else /tmp), removed at the end.
# 1. `sieve model` on the bundled default design succeeds and writes sieve.stats.json
#    holding "cycles" and "energy_pj".
# 2. `sieve model` on a broken input (negative depth) exits with 2 and names the file
#    on stderr.

foreach(var SIEVE SRC)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "model_smoke.cmake: -D${var}=... is required")
  endif()
endforeach()

if(DEFINED ENV{TMPDIR} AND NOT "$ENV{TMPDIR}" STREQUAL "")
  set(tmp_base "$ENV{TMPDIR}")
else()
  set(tmp_base "/tmp")
endif()
execute_process(
  COMMAND mktemp -d "${tmp_base}/sieve_model_smoke.XXXXXX"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE OUT
  ERROR_VARIABLE err
  OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc STREQUAL "0" OR NOT IS_DIRECTORY "${OUT}")
  message(FATAL_ERROR "model_smoke.cmake: cannot create a scratch folder under ${tmp_base}: ${err}")
endif()
# Every failure below removes the scratch folder first.
function(smoke_fail text)
  file(REMOVE_RECURSE "${OUT}")
  message(FATAL_ERROR "${text}")
endfunction()

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
  smoke_fail("sieve model on configs/default exited with '${rc}'\nstdout:\n${out}\nstderr:\n${err}")
endif()

set(json_file "${OUT}/sieve.stats.json")
if(NOT EXISTS "${json_file}")
  smoke_fail("sieve model did not write ${json_file}\nstdout:\n${out}\nstderr:\n${err}")
endif()
file(READ "${json_file}" json)
foreach(key cycles energy_pj)
  string(FIND "${json}" "\"${key}\"" pos)
  if(pos EQUAL -1)
    smoke_fail("${json_file} has no \"${key}\" key")
  endif()
endforeach()
string(JSON root_type ERROR_VARIABLE json_err TYPE "${json}")
if(json_err)
  smoke_fail("${json_file} is not valid JSON: ${json_err}")
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
  smoke_fail("sieve model on a negative depth exited with '${rc}', expected 2\nstdout:\n${out}\nstderr:\n${err}")
endif()
string(FIND "${err}" "broken_negative_depth.yaml" pos)
if(pos EQUAL -1)
  smoke_fail("sieve model's error does not name the file broken_negative_depth.yaml\nstderr:\n${err}")
endif()
string(FIND "${err}" "depth" pos)
if(pos EQUAL -1)
  message(WARNING "sieve model's error does not name the key 'depth':\n${err}")
endif()

file(REMOVE_RECURSE "${OUT}")
message(STATUS "cli_model_smoke: ok")
