// shift
