# Used by the tests as ParaSlm's inject logic: a CMake error inside the inject step.
message(FATAL_ERROR "deliberate failure of the inject step")
