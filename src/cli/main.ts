process.stderr.write("stern: not implemented yet\n");
process.exitCode = 1;
