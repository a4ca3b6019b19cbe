# Regenerates the .npy fixtures with NumPy (made with numpy 2.4.6):  python3 make_npy_fixtures.py
import numpy as np

a = np.arange(6, dtype="<f4").reshape(2, 3) / 8  # 0, 0.125, ..., 0.625: exact in float32
np.save("numpy-f4-2x3.npy", a)
with open("numpy-f4-2x3-v2.npy", "wb") as f:
    np.lib.format.write_array(f, a, version=(2, 0))
np.save("numpy-f8-2x3.npy", a.astype("<f8"))
np.save("numpy-f4-2x3-fortran.npy", np.asfortranarray(a))
np.save("numpy-f4-rank1.npy", np.arange(6, dtype="<f4"))
np.save("numpy-f4-rank3.npy", np.zeros((2, 3, 4), dtype="<f4"))
np.save("numpy-f4-bigendian.npy", a.astype(">f4"))
