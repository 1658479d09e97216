"""Why units die, in the Networks tab: pre-activation drift, update sizes, one unit's plateau."""

from gui.networks.why.area import DETAIL_VIEWS, DetailArea, build_detail_area
from gui.networks.why.drift import DriftView
from gui.networks.why.plateau import PlateauView, unit_name
from gui.networks.why.plateau_job import PlateauJob, PlateauRequest, snapped_ranges
from gui.networks.why.strip import UpdateStrip
from gui.networks.why.updates import UpdateView
from gui.networks.why.view import PAGES, WhyView

__all__ = ["DETAIL_VIEWS", "PAGES", "DetailArea", "DriftView", "PlateauJob", "PlateauRequest",
           "PlateauView", "UpdateStrip", "UpdateView", "WhyView", "build_detail_area",
           "snapped_ranges", "unit_name"]
