"""The hostile-input suite, one module per class of issue 10:

1. trace text becoming code through the header ........ test_header (and tests/codegen/test_fuzz)
2. secrets in artefacts ............................... test_secret_scan, test_screenshots, test_divergence_secrets
3. a secret typed on the wrong site ................... test_secret_origin
4. healing onto a contradicting element ............... test_healing
5. files named by trace data .......................... test_files
6. output paths ....................................... test_output_paths
7. bounded cost and clean errors ...................... test_bounds, test_scratch (and tests/test_malformed_input)

`site.Vault` is a sign-in site built the way leaky ones are; `scan.Scanner` decodes artefacts independently
of the redactor it checks.
"""
