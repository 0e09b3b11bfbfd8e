/* Fixture: `add A B SUM` exits 0 when A + B == SUM; `add A B` prints A + B. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  long sum = strtol(argv[1], NULL, 10) + strtol(argv[2], NULL, 10);
  if (argc == 3) {
    printf("%ld\n", sum);
    return 0;
  }
  return sum == strtol(argv[3], NULL, 10) ? 0 : 1;
}
