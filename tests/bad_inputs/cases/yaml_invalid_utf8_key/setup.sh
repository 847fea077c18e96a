# The bad byte is written here, so the case folder holds only text.
sed 's/^            depth: 16384$/            dep\xffth: 16384/' "$CFG/design.yaml" > design.yaml
LC_ALL=C grep -q "dep.th: 16384" design.yaml
