"""doc_templates"""
