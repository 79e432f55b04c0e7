#include <stdio.h>
int main(void) { puts("modeldeck"); return 0; }
