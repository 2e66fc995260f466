//! Typed view data: what templates see, as plain structs.
//!
//! Every view is declared with the `view!` macro, which derives `Serialize` and generates two things:
//! [`ToValue`] (the struct as a Tera value, built field by field so that a [`Shared`] part —
//! a task row listed on many pages — is an `Arc` clone, not a copy) and [`Fields`] (its field
//! names, which a test checks every attribute used in the templates against, so a template
//! reading a field no view has fails a test instead of rendering a blank).

use serde::Serialize;
use std::marker::PhantomData;
use tera::Value as TValue;

/// A view as a Tera value.
pub trait ToValue {
    /// The value templates see.
    fn to_value(&self) -> TValue;
}

/// A view struct's field names, and its fields inserted one by one as top-level template
/// variables.
pub trait Fields {
    /// Field names, in declaration order.
    const FIELDS: &'static [&'static str];
    /// Insert every field into `c` as a variable of its own.
    fn insert_into(&self, c: &mut tera::Context);
}

/// Declare a view struct: `view! { /// doc \n pub struct Name<'a> { /// doc \n pub field: Type, … } }`.
macro_rules! view {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident $(<$lt:lifetime>)? {
            $( $(#[doc = $fdoc:literal])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(serde::Serialize)]
        pub struct $name $(<$lt>)? {
            $( $(#[doc = $fdoc])* pub $field: $ty ),*
        }

        impl $(<$lt>)? $crate::render::view::ToValue for $name $(<$lt>)? {
            fn to_value(&self) -> tera::Value {
                let mut m = tera::Map::default();
                $(
                    m.insert(
                        tera::value::Key::Str(stringify!($field)),
                        $crate::render::view::ToValue::to_value(&self.$field),
                    );
                )*
                tera::Value::from(m)
            }
        }

        impl $(<$lt>)? $crate::render::view::Fields for $name $(<$lt>)? {
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
            fn insert_into(&self, c: &mut tera::Context) {
                $( c.insert_value(stringify!($field), $crate::render::view::ToValue::to_value(&self.$field)); )*
            }
        }
    };
}
pub(crate) use view;

/// A part of a view built once per build and shown on many pages (a task row, a record, a
/// plan's header): its Tera value is made once and shared.
pub struct Shared<T> {
    value: TValue,
    _view: PhantomData<fn() -> T>,
}

impl<T: ToValue> Shared<T> {
    /// Build the shared value of `view`.
    pub fn new(view: &T) -> Self {
        Shared {
            value: view.to_value(),
            _view: PhantomData,
        }
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared {
            value: self.value.clone(),
            _view: PhantomData,
        }
    }
}

impl<T> ToValue for Shared<T> {
    fn to_value(&self) -> TValue {
        self.value.clone()
    }
}

impl<T> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

macro_rules! to_value_via_from {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> TValue {
                TValue::from(self.clone())
            }
        }
    )*};
}
to_value_via_from!(bool, u32, u64, usize, i32, i64, String);

impl ToValue for str {
    fn to_value(&self) -> TValue {
        TValue::from(self)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> TValue {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> TValue {
        self.as_ref().map_or_else(TValue::none, ToValue::to_value)
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> TValue {
        TValue::from(self.iter().map(ToValue::to_value).collect::<Vec<_>>())
    }
}

impl<T: ToValue> ToValue for std::collections::BTreeMap<String, T> {
    fn to_value(&self) -> TValue {
        let mut m = tera::Map::default();
        for (k, v) in self {
            m.insert(tera::value::Key::from(k.clone()), v.to_value());
        }
        TValue::from(m)
    }
}
