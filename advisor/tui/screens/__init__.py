"""Screens: welcome, questionnaire, results (imported when first shown), load error."""
