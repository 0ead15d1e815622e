// Entry point of the rlm command (filled in by the CLI work).
console.log('rlm: the command line is not built yet')
