void pelagos_placeholder(void) {}
