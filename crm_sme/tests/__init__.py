from . import test_foundation
from . import test_ui
from . import test_feedback
from . import test_feedback_remedies
from . import test_feedback_rating
from . import test_feedback_mail
from . import test_feedback_portal
from . import test_feedback_tour
