// anim_dump writes the coalesced frames of an animated WebP as libwebp's
// WebPAnimDecoder composites them (RGBA, not premultiplied), stacked
// top to bottom in one binary PAM image (TUPLTYPE RGB_ALPHA) on stdout.
// It is what libwebp's examples/anim_dump does for WebP, without the
// example utilities. Build: cc -O2 -o anim_dump anim_dump.c -lwebpdemux -lwebp
#include <stdio.h>
#include <stdlib.h>
#include <webp/demux.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: anim_dump file.webp > frames.pam\n");
    return 2;
  }
  FILE* f = fopen(argv[1], "rb");
  if (f == NULL) {
    perror(argv[1]);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t* buf = malloc(n);
  if (buf == NULL || fread(buf, 1, n, f) != (size_t)n) {
    perror(argv[1]);
    return 1;
  }
  fclose(f);
  WebPData data = {buf, (size_t)n};
  WebPAnimDecoderOptions opt;
  WebPAnimDecoderOptionsInit(&opt);
  opt.color_mode = MODE_RGBA;
  opt.use_threads = 0;
  WebPAnimDecoder* dec = WebPAnimDecoderNew(&data, &opt);
  if (dec == NULL) {
    fprintf(stderr, "%s: WebPAnimDecoderNew failed\n", argv[1]);
    return 1;
  }
  WebPAnimInfo info;
  WebPAnimDecoderGetInfo(dec, &info);
  printf("P7\nWIDTH %u\nHEIGHT %u\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n",
         info.canvas_width, info.canvas_height * info.frame_count);
  while (WebPAnimDecoderHasMoreFrames(dec)) {
    uint8_t* px;
    int timestamp;
    if (!WebPAnimDecoderGetNext(dec, &px, &timestamp)) {
      fprintf(stderr, "%s: frame decoding failed\n", argv[1]);
      return 1;
    }
    fwrite(px, 1, (size_t)info.canvas_width * info.canvas_height * 4, stdout);
  }
  WebPAnimDecoderDelete(dec);
  free(buf);
  return 0;
}
