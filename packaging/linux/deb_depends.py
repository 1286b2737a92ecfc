"""The .deb's Depends: the Debian packages of the shared libraries the bundle needs and does not carry.

    python packaging/linux/deb_depends.py BUNDLE_FOLDER

dpkg-shlibdeps works out the versions from the libraries' symbols, but given a bundled copy it still names
the system package of the same library ("trying next package"): a bundle with its own libkrb5 would depend
on libkrb5-3 too. So the packages that only provide libraries the bundle carries are excluded (-x), and
those that also provide one it needs from the system (libc6 for libc.so.6) stay.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

NEEDED = re.compile(r"^\s*NEEDED\s+(\S+)", re.MULTILINE)


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                if file.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed_libraries(files: list[Path]) -> set[str]:
    output = subprocess.run(["objdump", "-p", *map(str, files)], capture_output=True, text=True, check=True).stdout
    return set(NEEDED.findall(output))


def system_library_paths() -> dict[str, str]:
    """soname → path, from the dynamic linker's cache."""
    output = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    paths: dict[str, str] = {}
    for line in output.splitlines()[1:]:
        name, _, path = line.strip().partition(" => ")
        paths.setdefault(name.split(" ", 1)[0], path)
    return paths


def owning_package(path: str) -> str | None:
    """The package that installed a file (usrmerge: /lib/… and /usr/lib/… are the same file)."""
    candidates = {path, os.path.realpath(path)}
    candidates |= {p.removeprefix("/usr") for p in candidates if p.startswith("/usr/")}
    candidates |= {"/usr" + p for p in candidates if not p.startswith("/usr/")}
    for candidate in sorted(candidates):
        result = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def packages_of(sonames: set[str], system: dict[str, str]) -> set[str]:
    return {package for soname in sonames if soname in system and (package := owning_package(system[soname]))}


def shlibs_depends(files: list[Path], library_dirs: set[Path], excluded: set[str]) -> str:
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "debian").mkdir()
        (Path(scratch) / "debian" / "control").write_text(
            "Source: ingress-studio\n\nPackage: ingress-studio\nArchitecture: any\n"
        )
        command = ["dpkg-shlibdeps", "-O", "--ignore-missing-info", "--warnings=0"]
        command += [f"-l{folder}" for folder in sorted(library_dirs)]
        command += [f"-x{package}" for package in sorted(excluded)]
        output = subprocess.run(
            [*command, *map(str, files)], capture_output=True, text=True, check=True, cwd=scratch
        ).stdout
    return output.strip().removeprefix("shlibs:Depends=")


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: deb_depends.py BUNDLE_FOLDER", file=sys.stderr)
        return 2
    bundle = Path(argv[0]).resolve()
    files = elf_files(bundle)
    bundled = {path.name for path in bundle.rglob("*.so*")}
    needed = needed_libraries(files)
    system = system_library_paths()
    from_system = needed - bundled
    unknown = sorted(soname for soname in from_system if soname not in system)
    if unknown:
        print(f"The bundle needs libraries this machine does not have: {', '.join(unknown)}.", file=sys.stderr)
        return 1
    excluded = packages_of(bundled & set(system), system) - packages_of(from_system, system)
    library_dirs = {path.parent for path in files if ".so" in path.name}
    print(shlibs_depends(files, library_dirs, excluded))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
