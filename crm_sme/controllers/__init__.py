from . import portal
from . import reconciliation
