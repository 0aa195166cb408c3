#!/usr/bin/env python3
"""Static read of the extension modules in wheels, independent of gilgate's code (stdlib only).

For every extension file in each wheel given on the command line this prints one TSV row:

  wheel  member  module  toolchain  toolchain_hint  hook  def_call  slots_gil  slots_mi  slots_from
  setgil_in_hook  setgil_import

- module: the name CPython imports the file under (folders become dotted parts, the file's import
  suffix is removed, and a package's `__init__` extension is the package itself).
- toolchain: what generated the module, from the ELF's strings and symbols (see classify()).
- hook: `PyInit_<last part>` / `PyModExport_<last part>` exported, or `none`.
- def_call: which function `PyInit_<name>` hands a `PyModuleDef` to, found by scanning the hook's
  machine code for `lea rdi,[rip+X]` (48 8d 3d) followed by a `call`/`jmp` that goes through the PLT
  or the GOT to `PyModuleDef_Init` (multi-phase) or `PyModule_Create2` (single-phase), where the
  `PyModuleDef` at X names the module (`m_name`); `unknown` when the hook does not do that directly
  (PyO3, pybind11 and others call into their runtime first).
- slots_gil / slots_mi: for a multi-phase definition, the `Py_mod_gil` (4) and
  `Py_mod_multiple_interpreters` (3) values of its `m_slots` array, read through the
  R_X86_64_RELATIVE relocations (`absent` when the array has no such slot; `none` when `m_slots` is
  NULL); when the array is empty in the file, the constant stores the hook's own code makes into
  it are read instead (pybind11 fills its array on the first call with `mov [rip+X], imm32`
  instructions), and `runtime` when it has none; `-` otherwise.
- slots_from: `file` or `hook` (where the slot values were read), `-` when none were read.
- setgil_in_hook: for a hook that calls PyModule_Create2 and then PyUnstable_Module_SetGIL itself,
  the value it passes (`mov esi,imm32` just before the call; `call` when the value is not a
  constant there), else `-`.
- setgil_import: whether the file imports `PyUnstable_Module_SetGIL` (a hint only).

Layouts (x86_64, free-threaded 3.13t/3.14t): PyModuleDef is 120 bytes with `m_name` at 56 and
`m_slots` at 88; PyModuleDef_Slot is {int slot; 4 bytes padding; void *value} (16 bytes), ended by
slot 0.
"""
import re
import struct
import sys
import zipfile

SUFFIX_RE = re.compile(r"\.(cpython-3\d+t?-x86_64-linux-gnu|abi3)?\.?so$")

# toolchain markers: (name, regex over the file's bytes); first match wins
MARKERS = [
    ("mypyc", re.compile(rb"CPyStatic_|CPyDef_|__mypyc|CPyType_")),
    ("Cython", re.compile(rb"__pyx_|cython_runtime|_cython_3_\d+")),
    ("PyO3", re.compile(rb"pyo3[-_/]|PyO3")),
    ("nanobind", re.compile(rb"nanobind|__nb_internals")),
    ("pybind11", re.compile(rb"pybind11")),
    ("SWIG", re.compile(rb"SWIG_|SwigPy|swig_runtime_data")),
]
HINTS = [
    re.compile(rb"_cython_(3_\d+_\d+\w*)"),
    re.compile(rb"pyo3-(\d+\.\d+\.\d+)"),
    re.compile(rb"__pybind11_internals_(v\d+)"),
    re.compile(rb"__nb_internals_(v\d+)"),
    re.compile(rb"SWIG_runtime_data(\d+)"),
]


def module_name(member):
    path = member
    m = re.match(r"[^/]+\.data/(purelib|platlib)/(.*)$", path)
    if m:
        path = m.group(2)
    parts = path.split("/")
    stem = SUFFIX_RE.sub("", parts[-1])
    if stem == "__init__" and len(parts) > 1:
        return ".".join(parts[:-1])
    return ".".join(parts[:-1] + [stem])


def is_extension(member):
    if not member.endswith(".so"):
        return False
    parts = member.split("/")
    if any(p.endswith(".libs") for p in parts[:-1]):
        return False
    if re.match(r"[^/]+\.dist-info/", member):
        return False
    stem = SUFFIX_RE.sub("", parts[-1])
    return re.fullmatch(r"\w+", stem) is not None


class Elf:
    def __init__(self, data):
        self.d = data
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ValueError("not a little-endian ELF64 file")
        (self.shoff,) = struct.unpack_from("<Q", data, 0x28)
        self.shentsize, self.shnum, self.shstrndx = struct.unpack_from("<HHH", data, 0x3A)
        self.sections = []
        for i in range(self.shnum):
            off = self.shoff + i * self.shentsize
            name, typ, flags, addr, offset, size, link, info, align, entsize = struct.unpack_from(
                "<IIQQQQIIQQ", data, off
            )
            self.sections.append(
                dict(name=name, type=typ, addr=addr, offset=offset, size=size, link=link, entsize=entsize)
            )
        strtab = self.sections[self.shstrndx]
        for s in self.sections:
            s["name"] = self._cstr(strtab["offset"] + s["name"])
        self.by_name = {s["name"]: s for s in self.sections}
        self.symbols = self._symbols()
        self.relative = {}  # address -> addend (R_X86_64_RELATIVE)
        self.got_names = {}  # GOT slot address -> symbol name (JUMP_SLOT, GLOB_DAT)
        for s in self.sections:
            if s["type"] == 4:  # SHT_RELA
                self._relocs(s)

    def _cstr(self, off):
        end = self.d.index(b"\0", off)
        return self.d[off:end].decode("utf-8", "replace")

    def _symbols(self):
        syms = []
        dynsym = self.by_name.get(".dynsym")
        if dynsym is None:
            return syms
        strtab = self.sections[dynsym["link"]]
        for i in range(dynsym["size"] // 24):
            name, info, other, shndx, value, size = struct.unpack_from("<IBBHQQ", self.d, dynsym["offset"] + i * 24)
            syms.append((self._cstr(strtab["offset"] + name), shndx, value, size))
        return syms

    def _relocs(self, sec):
        symtab = self.symbols if self.sections[sec["link"]]["name"] == ".dynsym" else None
        for i in range(sec["size"] // 24):
            off, info, addend = struct.unpack_from("<QQq", self.d, sec["offset"] + i * 24)
            typ, sym = info & 0xFFFFFFFF, info >> 32
            if typ == 8:  # R_X86_64_RELATIVE
                self.relative[off] = addend
            elif typ in (6, 7) and symtab is not None and sym < len(symtab):  # GLOB_DAT, JUMP_SLOT
                self.got_names[off] = symtab[sym][0]
            elif typ == 1 and symtab is not None and sym < len(symtab):  # R_X86_64_64
                self.relative.setdefault(off, ("sym", symtab[sym][0], addend))

    def file_offset(self, addr):
        for s in self.sections:
            if s["type"] != 8 and s["addr"] and s["addr"] <= addr < s["addr"] + s["size"]:  # not NOBITS
                return s["offset"] + addr - s["addr"]
            if s["type"] == 8 and s["addr"] and s["addr"] <= addr < s["addr"] + s["size"]:
                return None  # .bss: zero at load time
        return None

    def read(self, addr, n):
        off = self.file_offset(addr)
        if off is None:
            return bytes(n)
        return self.d[off : off + n]

    def pointer(self, addr):
        """Value of a pointer-sized field at addr once relocated: ('addr', X), ('sym', name) or ('raw', v)."""
        rel = self.relative.get(addr)
        if isinstance(rel, int):
            return ("addr", rel)
        if isinstance(rel, tuple):
            return ("sym", rel[1])
        (v,) = struct.unpack_from("<Q", self.read(addr, 8))
        return ("raw", v)

    def exported(self, name):
        for n, shndx, value, size in self.symbols:
            if n == name and shndx != 0:
                return value, size
        return None

    def imports(self, name):
        return any(n == name and shndx == 0 for n, shndx, _, _ in self.symbols)

    def call_target_name(self, target):
        """Name of the function a direct call/jmp to `target` reaches: a PLT stub's GOT slot."""
        code = self.read(target, 16)
        for pat in (b"\xff\x25", b"\xf2\xff\x25"):
            for start in (0, 4):  # optional endbr64
                if code[start : start + len(pat)] == pat:
                    (disp,) = struct.unpack_from("<i", code, start + len(pat))
                    slot = target + start + len(pat) + 4 + disp
                    return self.got_names.get(slot)
        return None


def looks_like_def(elf, addr):
    """A PyModuleDef candidate: its m_name (offset 56) is a relocated pointer to a dotted name.

    The name is not compared with the module's: CPython ignores m_name of a single-phase definition
    (websockets' speedups names itself 'websocket.speedups')."""
    kind, v = elf.pointer(addr + 56)
    if kind != "addr":
        return False
    off = elf.file_offset(v)
    if off is None:
        return False
    try:
        return re.fullmatch(r"[\w.]+", elf._cstr(off)) is not None
    except (ValueError, UnicodeDecodeError):
        return False


def lea_target(code, i, addr):
    """Target of a RIP-relative `lea r64,[rip+disp32]` (REX.W 48/4c, 8d, modrm 00 reg 101) at i."""
    if code[i] in (0x48, 0x4C) and code[i + 1] == 0x8D and (code[i + 2] & 0xC7) == 0x05:
        (disp,) = struct.unpack_from("<i", code, i + 3)
        return addr + i + 7 + disp
    return None


def call_name(elf, code, i, addr):
    """Name of the function a call/jmp at i reaches (direct to a PLT stub, or through the GOT)."""
    if code[i] in (0xE8, 0xE9) and i + 5 <= len(code):
        (rel,) = struct.unpack_from("<i", code, i + 1)
        return elf.call_target_name(addr + i + 5 + rel), 5
    if code[i : i + 2] in (b"\xff\x15", b"\xff\x25") and i + 6 <= len(code):
        (disp,) = struct.unpack_from("<i", code, i + 2)
        return elf.got_names.get(addr + i + 6 + disp), 6
    return None, 0


# constant stores the hook's code makes (address -> ("imm", value) or ("reg", None)); filled by scan_hook
stores = {}
# where read_slots found the slot values: "file" (the array's bytes) or "hook" (constant stores)
slots_from = ["-"]

DEF_TAKERS = ("PyModuleDef_Init", "PyModule_Create2", "PyModule_Create2TraceRefs")


def scan_hook(elf, addr, size):
    """Scan the hook's code for `lea r,[rip+X]` (X a PyModuleDef) followed by a call or jmp to
    PyModuleDef_Init / PyModule_Create2, and, for a single-phase hook, `mov esi,imm32` followed by a
    call to PyUnstable_Module_SetGIL (the value the hook declares). Returns (function, def, setgil)."""
    code = elf.read(addr, max(size, 16)) + bytes(8)
    stores.clear()
    for i in range(len(code) - 11):
        # constant stores to RIP-relative memory: how pybind11 fills its slot array on the first call
        if code[i] == 0xC7 and code[i + 1] == 0x05:  # mov dword [rip+X], imm32
            (disp, imm) = struct.unpack_from("<iI", code, i + 2)
            stores[addr + i + 10 + disp] = ("imm", imm)
        elif code[i] == 0x48 and code[i + 1] == 0xC7 and code[i + 2] == 0x05:  # mov qword [rip+X], imm32
            (disp, imm) = struct.unpack_from("<ii", code, i + 3)
            stores[addr + i + 11 + disp] = ("imm", imm)
        elif code[i] in (0x48, 0x4C) and code[i + 1] == 0x89 and (code[i + 2] & 0xC7) == 0x05:  # mov [rip+X], r64
            (disp,) = struct.unpack_from("<i", code, i + 3)
            stores[addr + i + 7 + disp] = ("reg", None)
    last_def = None
    taker = None
    setgil = "-"
    last_esi = None
    for i in range(len(code) - 8):
        tgt = lea_target(code, i, addr)
        if tgt is not None and looks_like_def(elf, tgt):
            last_def = tgt
        if code[i] == 0xBE:  # mov esi, imm32
            (last_esi,) = struct.unpack_from("<I", code, i + 1)
            last_esi_at = i
        name, _ = call_name(elf, code, i, addr)
        if name in DEF_TAKERS and last_def is not None and taker is None:
            taker = (name, last_def)
        elif name == "PyUnstable_Module_SetGIL" and taker is not None:
            setgil = str(last_esi) if last_esi is not None and i - last_esi_at <= 16 else "call"
    if taker is None:
        return None, None, setgil
    return taker[0], taker[1], setgil


def read_slots(elf, def_addr):
    kind, v = elf.pointer(def_addr + 88)
    if kind == "raw" and v == 0:
        return "none", "none"
    if kind != "addr" and not (kind == "raw" and v):
        return "unreadable", "unreadable"
    gil = mi = "absent"
    (first,) = struct.unpack_from("<i", elf.read(v, 4))
    filled = first == 0 and stores.get(v, ("", 0))[0] == "imm" and stores[v][1] != 0
    slots_from[0] = "hook" if filled else "file"
    if first == 0 and not filled:
        # an array that is empty in the file and not filled by constant stores in the hook itself
        # is filled elsewhere at run time: nothing can be read statically
        return "runtime", "runtime"
    for n in range(64):
        ent = v + 16 * n
        if filled:
            # pybind11: the hook fills the array on its first call with constant stores
            kind, slot = stores.get(ent, ("imm", 0))
            if kind != "imm":
                return "unreadable", "unreadable"
            if slot == 0:
                break
            kind, val = stores.get(ent + 8, ("reg", None))
            shown = str(val) if kind == "imm" else "pointer"
        else:
            (slot,) = struct.unpack_from("<i", elf.read(ent, 4))
            if slot == 0:
                break
            k, val = elf.pointer(ent + 8)
            shown = str(val) if k == "raw" else "pointer"
        if slot == 4:
            gil = shown
        elif slot == 3:
            mi = shown
    return gil, mi


def classify(data, elf):
    for name, rx in MARKERS:
        if rx.search(data):
            tool = name
            break
    else:
        if re.search(rb"_cffi_backend|_cffi_exports|_cffi_type", data):
            tool = "C (cffi)"
        elif re.search(rb"__gxx_personality_v0|libstdc\+\+|_ZNSt", data):
            tool = "C++/other"
        elif re.search(rb"rust_panic|/rustc/", data):
            tool = "Rust (other)"
        else:
            tool = "C"
    hint = "-"
    for rx in HINTS:
        m = rx.search(data)
        if m:
            hint = m.group(1).decode()
            break
    return tool, hint


def analyse(wheel_path):
    wheel = wheel_path.rsplit("/", 1)[-1]
    rows = []
    with zipfile.ZipFile(wheel_path) as z:
        for member in sorted(z.namelist()):
            if not is_extension(member):
                continue
            data = z.read(member)
            name = module_name(member)
            slots_from[0] = "-"
            short = name.rsplit(".", 1)[-1]
            try:
                elf = Elf(data)
            except (ValueError, struct.error) as e:
                rows.append([wheel, member, name, "not-ELF", str(e), "none", "-", "-", "-", "-", "-", "-"])
                continue
            tool, hint = classify(data, elf)
            stem_short = SUFFIX_RE.sub("", member.rsplit("/", 1)[-1])
            hook = "none"
            def_call = "-"
            setgil_hook = "-"
            gil = mi = "-"
            found = elf.exported("PyInit_" + stem_short) or elf.exported("PyInit_" + short)
            if found:
                hook = "PyInit"
                call, def_addr, setgil_hook = scan_hook(elf, found[0], found[1])
                def_call = call or "unknown"
                if call == "PyModuleDef_Init":
                    gil, mi = read_slots(elf, def_addr)
            elif elf.exported("PyModExport_" + stem_short):
                hook = "PyModExport"
            setgil = "yes" if elf.imports("PyUnstable_Module_SetGIL") else "no"
            rows.append([wheel, member, name, tool, hint, hook, def_call, gil, mi, slots_from[0], setgil_hook, setgil])
    return rows


def main():
    print("\t".join(["wheel", "member", "module", "toolchain", "toolchain_hint", "hook", "def_call",
                     "slots_gil", "slots_mi", "slots_from", "setgil_in_hook", "setgil_import"]))
    for path in sys.argv[1:]:
        for row in analyse(path):
            print("\t".join(row))


if __name__ == "__main__":
    main()
