#include "search/config_hash.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace sieve::search {

std::string Sha256Hex(const std::string& data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
    throw std::runtime_error("SHA-256 computation failed");
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

std::string ConfigSha256(const std::vector<spec::InputFile>& inputs) {
  std::string all;
  for (const spec::InputFile& f : inputs) {
    // Length-prefix each text so file boundaries are part of the hash.
    all += std::to_string(f.text.size()) + ":" + f.text;
  }
  return Sha256Hex(all);
}

std::string InputsText(const std::vector<spec::InputFile>& inputs) {
  std::string all;
  for (const spec::InputFile& f : inputs) {
    all += "# file: " + f.path + "\n" + f.text;
    if (!f.text.empty() && f.text.back() != '\n') all += "\n";
  }
  return all;
}

}  // namespace sieve::search
